import { beforeEach, describe, expect, it } from 'vitest';
import { streamRecord } from '../shared/stream-images';
import { freshNotifier } from './notifier-over-fakes';

const item = (quantity: number, version: number, organizationId = 'org-1') => ({
  __typename: 'InventoryItem',
  id: 'item-1',
  organizationId,
  sku: 'FLT-20',
  name: 'Furnace filter',
  unit: 'each',
  quantity,
  minQuantity: 2,
  version,
});
describe('notifier: low stock and preferences', () => {
  let { tables, mailer, handler } = freshNotifier();

  beforeEach(() => {
    ({ tables, mailer, handler } = freshNotifier());
    tables.addOrganization('org-1', { name: 'Grace Chapel' });
    tables.addOrganization('org-2', { name: 'Elsewhere' });
    for (const [who, role] of [
      ['owner', 'OWNER'],
      ['admin', 'ADMIN'],
      ['manager', 'MANAGER'],
      ['tech', 'TECHNICIAN'],
      ['member', 'MEMBER'],
    ] as const) {
      tables.addMember('org-1', who, role);
    }
    tables.addMember('org-1', 'gone', 'MANAGER', 'SUSPENDED');
    tables.addMember('org-2', 'stranger', 'OWNER');
  });

  it('mails each active owner, admin and manager once per crossing, redelivered or not', async () => {
    const crossing = streamRecord(item(3, 1), item(2, 2));
    expect(await handler({ Records: [crossing, crossing] })).toEqual({ batchItemFailures: [] });
    await handler({ Records: [crossing, streamRecord(item(2, 2), item(1, 3))] });
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([
      'admin@example.org',
      'manager@example.org',
      'owner@example.org',
    ]);
    expect(mailer.sent[0]?.subject).toBe('Low stock: Furnace filter (FLT-20)');
    expect(mailer.sent[0]?.text).toContain('http://localhost:5173/inventory/item-1');
    expect(mailer.sent[0]?.text).toContain('http://localhost:5173/settings');
    expect(tables.notifications.records.get('low-stock:item-1:2:owner')).toMatchObject({
      recipientId: 'owner',
      recipient: 'owner',
      kind: 'LOW_STOCK',
      status: 'SENT',
      link: 'http://localhost:5173/inventory/item-1',
    });
  });

  it('mails again after the stock went back above the minimum and crossed again', async () => {
    await handler({
      Records: [streamRecord(item(3, 1), item(2, 2)), streamRecord(item(2, 2), item(10, 3))],
    });
    await handler({ Records: [streamRecord(item(10, 3), item(0, 4))] });
    expect(mailer.sent).toHaveLength(6);
  });

  it('keeps the in-app notification but sends no email to who turned low stock off', async () => {
    tables.profileRows.set('admin', {
      id: 'admin',
      email: 'admin@example.org',
      preferences: { assignment: true, statusChanges: true, lowStock: false },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const crossing = streamRecord(item(3, 1), item(2, 2));
    await handler({ Records: [crossing, crossing] });
    expect(mailer.sent.map((m) => m.to)).not.toContain('admin@example.org');
    expect(mailer.sent).toHaveLength(2);
    const skipped = tables.notifications.records.get('low-stock:item-1:2:admin');
    expect(skipped).toMatchObject({ status: 'SKIPPED_BY_PREFERENCE', recipientId: 'admin' });
    expect(skipped).not.toHaveProperty('email');
  });

  it('keeps the in-app notification of an assignment whose email is off', async () => {
    tables.profileRows.set('tech', {
      id: 'tech',
      email: 'tech@example.org',
      preferences: { assignment: false, statusChanges: true, lowStock: true },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const workOrder = {
      __typename: 'WorkOrder',
      id: 'wo-1',
      organizationId: 'org-1',
      number: 3,
      title: 'Leak',
      status: 'NEW',
      version: 1,
    };
    await handler({
      Records: [
        streamRecord(workOrder, {
          ...workOrder,
          status: 'ASSIGNED',
          assigneeId: 'tech',
          version: 2,
        }),
      ],
    });
    expect(mailer.sent).toHaveLength(0);
    expect(tables.notifications.records.get('assigned:wo-1:2:tech')).toMatchObject({
      status: 'SKIPPED_BY_PREFERENCE',
      kind: 'WORK_ORDER_ASSIGNED',
    });
  });

  it('never mails anyone outside the item’s organization', async () => {
    await handler({ Records: [streamRecord(item(3, 1, 'org-2'), item(2, 2, 'org-2'))] });
    expect(mailer.sent.map((m) => m.to)).toEqual(['stranger@example.org']);
  });

  it('mails the others when one send fails, and only the failed one on the retry', async () => {
    mailer.failNext = 1;
    const crossing = streamRecord(item(3, 1), item(2, 2));
    expect((await handler({ Records: [crossing] })).batchItemFailures).toEqual([
      { itemIdentifier: crossing.dynamodb?.SequenceNumber },
    ]);
    expect(mailer.sent).toHaveLength(2);
    expect(await handler({ Records: [crossing] })).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(3);
    expect(new Set(mailer.sent.map((m) => m.to)).size).toBe(3);
  });
});

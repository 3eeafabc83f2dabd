import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import type { NotificationRecord } from '../records';
import { callerFor, FakeClock, InMemoryTables } from '../testing/fakes';
import { markNotificationsRead } from './inbox';

const notification = (id: string, recipientId: string): NotificationRecord => ({
  id,
  organizationId: 'org-1',
  recipientId,
  recipient: recipientId,
  kind: 'LOW_STOCK',
  subject: 's',
  status: 'SENT',
  attempts: 1,
  createdAt: '2026-03-01T11:00:00.000Z',
  updatedAt: '2026-03-01T11:00:00.000Z',
});

describe('markNotificationsRead', () => {
  let tables: InMemoryTables;
  let deps: { clock: FakeClock; inbox: InMemoryTables['inbox'] };
  const readAt = (id: string) => tables.notifications.records.get(id)?.readAt;

  beforeEach(() => {
    tables = new InMemoryTables();
    deps = { clock: new FakeClock(), inbox: tables.inbox };
    for (const [id, who] of [
      ['n1', 'ann'],
      ['n2', 'ann'],
      ['n3', 'bob'],
    ] as const) {
      tables.notifications.records.set(id, notification(id, who));
    }
  });

  it('marks the given ones of the caller, once', async () => {
    expect(await markNotificationsRead(deps, callerFor('ann'), { ids: ['n1'] })).toBe(1);
    expect(readAt('n1')).toBe('2026-03-01T12:00:00.000Z');
    expect(readAt('n2')).toBeUndefined();
    expect(await markNotificationsRead(deps, callerFor('ann'), { ids: ['n1', 'n2'] })).toBe(1);
  });

  it('marks all of the caller’s and nobody else’s', async () => {
    expect(await markNotificationsRead(deps, callerFor('ann'), { all: true })).toBe(2);
    expect(readAt('n3')).toBeUndefined();
  });

  it.each([
    ['a foreign id', ['n3']],
    ['a foreign id among own ones', ['n1', 'n3']],
    ['an unknown id', ['nope']],
  ])('refuses %s as NOT_FOUND and marks nothing', async (_name, ids) => {
    await expect(markNotificationsRead(deps, callerFor('ann'), { ids })).rejects.toSatisfy((err) =>
      isDomainError(err, 'NOT_FOUND'),
    );
    expect([readAt('n1'), readAt('n2'), readAt('n3')]).toEqual([undefined, undefined, undefined]);
  });

  it('asks for ids or all', async () => {
    await expect(markNotificationsRead(deps, callerFor('ann'), {})).rejects.toSatisfy((err) =>
      isDomainError(err, 'VALIDATION'),
    );
  });

  it('refuses an id longer than any notification id as VALIDATION, before reading anything', async () => {
    await expect(
      markNotificationsRead(deps, callerFor('ann'), { ids: ['n'.repeat(100_000)] }),
    ).rejects.toSatisfy((err) => isDomainError(err, 'VALIDATION'));
  });
});

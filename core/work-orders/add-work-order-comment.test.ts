import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import type { WorkOrderRecord } from '../records';
import { callerFor, FakeClock, InMemoryTables, SequentialIds } from '../testing/fakes';
import { addWorkOrderComment } from './add-work-order-comment';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    if (isDomainError(err)) return err.code;
    throw err;
  }
  return undefined;
}

describe('addWorkOrderComment', () => {
  let tables: InMemoryTables;
  let deps: Parameters<typeof addWorkOrderComment>[0];
  let workOrder: WorkOrderRecord;

  beforeEach(() => {
    tables = new InMemoryTables();
    deps = { ...tables, clock: new FakeClock(), ids: new SequentialIds() };
    tables.addOrganization('org-1');
    for (const [userId, role] of [
      ['owner-1', 'OWNER'],
      ['admin-1', 'ADMIN'],
      ['manager-1', 'MANAGER'],
      ['tech-1', 'TECHNICIAN'],
      ['requester-1', 'MEMBER'],
      ['member-2', 'MEMBER'],
      ['viewer-1', 'VIEWER'],
    ] as const) {
      tables.addMember('org-1', userId, role);
    }
    tables.addMember('org-1', 'gone-1', 'TECHNICIAN', 'SUSPENDED');
    tables.addOrganization('org-2');
    tables.addMember('org-2', 'foreign-manager', 'MANAGER');
    workOrder = {
      id: 'wo-1',
      organizationId: 'org-1',
      number: 1,
      title: 'Leak',
      status: 'IN_PROGRESS',
      priority: 'HIGH',
      category: 'PLUMBING',
      type: 'CORRECTIVE',
      requester: 'requester-1::requester-1',
      requesterId: 'requester-1',
      readGroups: ['org-1:MANAGER', 'org-1:TECHNICIAN'],
      version: 4,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
    };
    tables.workOrderRows.set('wo-1', structuredClone(workOrder));
  });

  const comment = (userId: string, args: Record<string, unknown>) =>
    addWorkOrderComment(deps, callerFor(userId), { workOrderId: 'wo-1', ...args });

  it.each(['owner-1', 'admin-1', 'manager-1', 'tech-1', 'requester-1'])(
    'lets %s comment, readable by whoever reads the work order, without a version bump',
    async (userId) => {
      const event = await comment(userId, { body: '  Parts ordered.  ' });
      expect(event).toEqual({
        id: 'id-1',
        organizationId: 'org-1',
        workOrderId: 'wo-1',
        at: '2026-03-01T12:00:00.000Z',
        actorId: userId,
        actorName: userId,
        kind: 'COMMENT',
        note: 'Parts ordered.',
        requester: 'requester-1::requester-1',
        readGroups: ['org-1:MANAGER', 'org-1:TECHNICIAN'],
        createdAt: '2026-03-01T12:00:00.000Z',
        updatedAt: '2026-03-01T12:00:00.000Z',
      });
      expect(tables.eventRows).toEqual([event]);
      expect(tables.workOrderRows.get('wo-1')).toEqual(workOrder);
    },
  );

  it.each([
    ['a VIEWER', 'viewer-1', 'FORBIDDEN'],
    ['a MEMBER on someone else’s request', 'member-2', 'NOT_FOUND'],
    ['a suspended technician', 'gone-1', 'NOT_FOUND'],
    ['a manager of another organization', 'foreign-manager', 'NOT_FOUND'],
  ])('refuses %s and writes nothing', async (_name, userId, code) => {
    expect(await codeOf(comment(userId, { body: 'hello' }))).toBe(code);
    expect(tables.eventRows).toEqual([]);
  });

  it.each([
    ['an empty body', { body: '   ' }],
    ['a body over 5000 characters', { body: 'x'.repeat(5001) }],
    ['a missing body', {}],
    ['an unknown field', { body: 'ok', kind: 'STATUS' }],
  ])('refuses %s with VALIDATION', async (_name, args) => {
    expect(await codeOf(comment('manager-1', args))).toBe('VALIDATION');
    expect(tables.eventRows).toEqual([]);
  });

  it('accepts a body of exactly 5000 characters', async () => {
    expect((await comment('manager-1', { body: 'x'.repeat(5000) })).note).toHaveLength(5000);
  });

  it('answers NOT_FOUND for an unknown work order', async () => {
    expect(
      await codeOf(
        addWorkOrderComment(deps, callerFor('manager-1'), { workOrderId: 'nope', body: 'x' }),
      ),
    ).toBe('NOT_FOUND');
  });
});

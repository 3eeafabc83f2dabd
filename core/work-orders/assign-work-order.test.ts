import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import type { WorkOrderRecord } from '../records';
import { callerFor, FakeClock, InMemoryTables, SequentialIds } from '../testing/fakes';
import { assignWorkOrder } from './assign-work-order';
import type { WorkOrderStatus } from './vocabulary';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    if (isDomainError(err)) return err.code;
    throw err;
  }
  return undefined;
}

describe('assignWorkOrder', () => {
  let tables: InMemoryTables;
  let deps: Parameters<typeof assignWorkOrder>[0];

  const put = (patch: Partial<WorkOrderRecord> = {}): WorkOrderRecord => {
    const workOrder: WorkOrderRecord = {
      id: 'wo-1',
      organizationId: 'org-1',
      number: 1,
      title: 'Leak',
      status: 'NEW',
      priority: 'HIGH',
      category: 'PLUMBING',
      type: 'CORRECTIVE',
      requester: 'member-1::member-1',
      requesterId: 'member-1',
      readGroups: ['org-1:MANAGER'],
      version: 1,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
      ...patch,
    };
    tables.workOrderRows.set(workOrder.id, workOrder);
    return workOrder;
  };

  beforeEach(() => {
    tables = new InMemoryTables();
    deps = { ...tables, clock: new FakeClock(), ids: new SequentialIds() };
    tables.addOrganization('org-1');
    tables.addMember('org-1', 'manager-1', 'MANAGER');
    tables.addMember('org-1', 'tech-1', 'TECHNICIAN');
    tables.addMember('org-1', 'tech-2', 'TECHNICIAN');
    tables.addMember('org-1', 'member-1', 'MEMBER');
    tables.addMember('org-1', 'viewer-1', 'VIEWER');
    tables.addMember('org-1', 'gone-1', 'TECHNICIAN', 'SUSPENDED');
    tables.addOrganization('org-2');
    tables.addMember('org-2', 'foreign-tech', 'TECHNICIAN');
    tables.addMember('org-2', 'foreign-manager', 'MANAGER');
  });

  it('lets a manager assign a technician: NEW → ASSIGNED, version + 1, one event', async () => {
    put();
    const result = await assignWorkOrder(deps, callerFor('manager-1'), {
      id: 'wo-1',
      assigneeId: 'tech-1',
      expectedVersion: 1,
    });
    expect(result).toMatchObject({
      status: 'ASSIGNED',
      assigneeId: 'tech-1',
      assigneeName: 'tech-1',
      assignedAt: '2026-03-01T12:00:00.000Z',
      version: 2,
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
    expect(tables.workOrderRows.get('wo-1')).toEqual(result);
    expect(tables.eventRows).toMatchObject([
      {
        kind: 'ASSIGNED',
        fromStatus: 'NEW',
        toStatus: 'ASSIGNED',
        actorId: 'manager-1',
        workOrderId: 'wo-1',
        requester: 'member-1::member-1',
      },
    ]);
  });

  it('lets a technician take unassigned NEW work for themselves', async () => {
    put();
    const result = await assignWorkOrder(deps, callerFor('tech-1'), {
      id: 'wo-1',
      assigneeId: 'tech-1',
    });
    expect(result).toMatchObject({ status: 'ASSIGNED', assigneeId: 'tech-1' });
  });

  it('unassigns back to NEW and clears the assignment fields', async () => {
    put({ status: 'ASSIGNED', assigneeId: 'tech-1', assigneeName: 'tech-1', assignedAt: 'x' });
    const result = await assignWorkOrder(deps, callerFor('manager-1'), {
      id: 'wo-1',
      assigneeId: null,
    });
    expect(result.status).toBe('NEW');
    expect(result).not.toHaveProperty('assigneeId');
    expect(result).not.toHaveProperty('assignedAt');
    expect(tables.eventRows[0]?.kind).toBe('UNASSIGNED');
  });

  it('reassigns in progress work without changing its status', async () => {
    put({ status: 'IN_PROGRESS', assigneeId: 'tech-1' });
    const result = await assignWorkOrder(deps, callerFor('manager-1'), {
      id: 'wo-1',
      assigneeId: 'tech-2',
    });
    expect(result).toMatchObject({ status: 'IN_PROGRESS', assigneeId: 'tech-2' });
    expect(tables.eventRows[0]?.kind).toBe('REASSIGNED');
  });

  it('changes nothing when the assignee is already the one asked for', async () => {
    put({ status: 'ASSIGNED', assigneeId: 'tech-1' });
    const result = await assignWorkOrder(deps, callerFor('manager-1'), {
      id: 'wo-1',
      assigneeId: 'tech-1',
    });
    expect(result.version).toBe(1);
    expect(tables.eventRows).toHaveLength(0);
  });

  it.each<[string, string, string | null, Partial<WorkOrderRecord>, string]>([
    ['a stale expectedVersion', 'manager-1', 'tech-1', {}, 'CONFLICT'],
    ['a technician assigning someone else', 'tech-1', 'tech-2', {}, 'FORBIDDEN'],
    [
      'a technician taking assigned work',
      'tech-2',
      'tech-2',
      { status: 'ASSIGNED', assigneeId: 'tech-1' },
      'FORBIDDEN',
    ],
    [
      'a technician unassigning',
      'tech-1',
      null,
      { status: 'ASSIGNED', assigneeId: 'tech-1' },
      'FORBIDDEN',
    ],
    ['a MEMBER taking work', 'member-1', 'member-1', {}, 'FORBIDDEN'],
    ['a VIEWER assigning', 'viewer-1', 'tech-1', {}, 'FORBIDDEN'],
    ['assigning a MEMBER', 'manager-1', 'member-1', {}, 'VALIDATION'],
    ['assigning a suspended technician', 'manager-1', 'gone-1', {}, 'VALIDATION'],
    [
      'assigning a technician of another organization',
      'manager-1',
      'foreign-tech',
      {},
      'VALIDATION',
    ],
    ['a manager of another organization', 'foreign-manager', 'foreign-tech', {}, 'NOT_FOUND'],
    [
      'assigning a CLOSED work order',
      'manager-1',
      'tech-1',
      { status: 'CLOSED' as WorkOrderStatus },
      'ILLEGAL_TRANSITION',
    ],
    [
      'assigning a DRAFT',
      'manager-1',
      'tech-1',
      { status: 'DRAFT' as WorkOrderStatus },
      'ILLEGAL_TRANSITION',
    ],
    [
      'unassigning work in progress',
      'manager-1',
      null,
      { status: 'IN_PROGRESS', assigneeId: 'tech-1' },
      'ILLEGAL_TRANSITION',
    ],
  ])('refuses %s and writes nothing', async (name, userId, assigneeId, patch, code) => {
    put({ ...patch, version: 3 });
    const expectedVersion = name === 'a stale expectedVersion' ? 2 : undefined;
    expect(
      await codeOf(
        assignWorkOrder(deps, callerFor(userId), { id: 'wo-1', assigneeId, expectedVersion }),
      ),
    ).toBe(code);
    expect(tables.workOrderRows.get('wo-1')?.version).toBe(3);
    expect(tables.eventRows).toHaveLength(0);
  });

  it('reports NOT_FOUND for a missing work order', async () => {
    expect(
      await codeOf(
        assignWorkOrder(deps, callerFor('manager-1'), { id: 'nope', assigneeId: 'tech-1' }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('reports CONFLICT when the work order changes between read and write', async () => {
    put();
    tables.beforeWrite = () => {
      const current = tables.workOrderRows.get('wo-1');
      if (current) tables.workOrderRows.set('wo-1', { ...current, version: 2 });
    };
    expect(
      await codeOf(
        assignWorkOrder(deps, callerFor('manager-1'), { id: 'wo-1', assigneeId: 'tech-1' }),
      ),
    ).toBe('CONFLICT');
    expect(tables.workOrderRows.get('wo-1')?.assigneeId).toBeUndefined();
    expect(tables.eventRows).toHaveLength(0);
  });
});

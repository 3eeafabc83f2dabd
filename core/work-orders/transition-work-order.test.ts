import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import { ROLES, type Role } from '../organizations/roles';
import type { WorkOrderRecord } from '../records';
import { callerFor, FakeClock, InMemoryTables, SequentialIds } from '../testing/fakes';
import { transitionWorkOrder } from './transition-work-order';
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from './vocabulary';

async function failureOf(promise: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  try {
    await promise;
  } catch (err) {
    if (isDomainError(err))
      return { code: err.code, message: `${err.message} ${err.resolution ?? ''}` };
    throw err;
  }
  return {};
}

/** The lifecycle of docs/PRODUCT.md, written out independently of state-machine.ts. */
const EDGES: Record<string, string> = {
  'DRAFT>NEW': 'requester',
  'DRAFT>CANCELLED': 'manager requester',
  'NEW>ASSIGNED': 'manager selfTake',
  'NEW>CANCELLED': 'manager requester',
  'ASSIGNED>NEW': 'manager',
  'ASSIGNED>IN_PROGRESS': 'manager assignee',
  'ASSIGNED>CANCELLED': 'manager requester',
  'IN_PROGRESS>ON_HOLD': 'manager assignee',
  'IN_PROGRESS>COMPLETED': 'manager assignee',
  'IN_PROGRESS>CANCELLED': 'manager',
  'ON_HOLD>IN_PROGRESS': 'manager assignee',
  'ON_HOLD>CANCELLED': 'manager',
  'COMPLETED>CLOSED': 'manager',
  'COMPLETED>IN_PROGRESS': 'manager',
};
const MANAGERS: Role[] = ['OWNER', 'ADMIN', 'MANAGER'];
const WORKERS: Role[] = [...MANAGERS, 'TECHNICIAN'];
const CONTRIBUTORS: Role[] = [...WORKERS, 'MEMBER'];
const WITH_ASSIGNEE: WorkOrderStatus[] = [
  'ASSIGNED',
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
  'CLOSED',
];

/** How the caller relates to the work order. */
type Relation = 'stranger' | 'assignee' | 'requester';
const USER: Record<Relation, string> = {
  stranger: 'other-1',
  assignee: 'tech-1',
  requester: 'requester-1',
};

/**
 * The operation's answer: a MEMBER cannot even see other people's requests (NOT_FOUND); through
 * transitionWorkOrder, NEW → ASSIGNED means taking the work, so selfTake is anyone who may work.
 */
function expected(from: WorkOrderStatus, to: WorkOrderStatus, role: Role, relation: Relation) {
  if (role === 'MEMBER' && relation !== 'requester') return 'NOT_FOUND';
  const parties = EDGES[`${from}>${to}`];
  if (parties === undefined) return 'ILLEGAL_TRANSITION';
  const hasAssignee = WITH_ASSIGNEE.includes(from);
  const ok = parties.split(' ').some((party) => {
    if (party === 'manager') return MANAGERS.includes(role);
    if (party === 'requester') return relation === 'requester' && CONTRIBUTORS.includes(role);
    if (party === 'assignee')
      return relation === 'assignee' && hasAssignee && WORKERS.includes(role);
    if (party === 'selfTake') return !hasAssignee && WORKERS.includes(role);
    throw new Error(party);
  });
  return ok ? 'OK' : 'FORBIDDEN';
}

const RELATIONS: Relation[] = ['stranger', 'assignee', 'requester'];
const cases = WORK_ORDER_STATUSES.flatMap((from) =>
  WORK_ORDER_STATUSES.flatMap((to) =>
    ROLES.flatMap((role) =>
      RELATIONS.map(
        (relation) => [from, to, role, relation, expected(from, to, role, relation)] as const,
      ),
    ),
  ),
);

describe('transitionWorkOrder', () => {
  let tables: InMemoryTables;
  let clock: FakeClock;
  let deps: Parameters<typeof transitionWorkOrder>[0];

  const put = (patch: Partial<WorkOrderRecord> = {}): WorkOrderRecord => {
    const workOrder: WorkOrderRecord = {
      id: 'wo-1',
      organizationId: 'org-1',
      number: 1,
      title: 'Leaking Tap',
      status: 'NEW',
      priority: 'HIGH',
      category: 'PLUMBING',
      type: 'CORRECTIVE',
      dueAt: '2026-03-04T00:00:00.000Z',
      requester: 'requester-1::requester-1',
      requesterId: 'requester-1',
      readGroups: ['org-1:MANAGER'],
      version: 1,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
      ...patch,
    };
    tables.workOrderRows.set(workOrder.id, structuredClone(workOrder));
    return workOrder;
  };
  const move = (userId: string, to: WorkOrderStatus, extra: Record<string, unknown> = {}) =>
    transitionWorkOrder(deps, callerFor(userId), {
      id: 'wo-1',
      to,
      expectedVersion: tables.workOrderRows.get('wo-1')?.version,
      ...extra,
    });

  beforeEach(() => {
    tables = new InMemoryTables();
    clock = new FakeClock();
    deps = { ...tables, clock, ids: new SequentialIds() };
    tables.addOrganization('org-1');
    tables.addMember('org-1', 'manager-1', 'MANAGER');
    tables.addMember('org-1', 'tech-1', 'TECHNICIAN');
    tables.addMember('org-1', 'tech-2', 'TECHNICIAN');
    tables.addMember('org-1', 'requester-1', 'MEMBER');
    tables.addMember('org-1', 'member-2', 'MEMBER');
    tables.addMember('org-1', 'viewer-1', 'VIEWER');
    tables.addMember('org-1', 'gone-1', 'MANAGER', 'SUSPENDED');
    tables.addOrganization('org-2');
    tables.addMember('org-2', 'foreign-manager', 'MANAGER');
  });

  describe('the whole table, every from × to × role × relation', () => {
    it.each(cases)('%s → %s by a %s (%s): %s', async (from, to, role, relation, outcome) => {
      const userId = USER[relation];
      tables.memberRows.clear();
      tables.addMember('org-1', userId, role);
      const before = put({
        status: from,
        ...(WITH_ASSIGNEE.includes(from) ? { assigneeId: 'tech-1', assigneeName: 'tech-1' } : {}),
        ...(from === 'IN_PROGRESS' ? { activeSince: '2026-03-01T11:00:00.000Z' } : {}),
      });
      const run = move(userId, to);
      if (outcome === 'OK') {
        const after = await run;
        expect(after).toMatchObject({ status: to, version: 2, updatedBy: userId });
        expect(tables.workOrderRows.get('wo-1')).toEqual(after);
        expect(tables.eventRows).toMatchObject([
          { fromStatus: from, toStatus: to, actorId: userId, workOrderId: 'wo-1' },
        ]);
      } else {
        expect((await failureOf(run)).code).toBe(outcome);
        expect(tables.workOrderRows.get('wo-1')).toEqual(before);
        expect(tables.eventRows).toEqual([]);
      }
    });
  });

  it('names from, to and the allowed next states in ILLEGAL_TRANSITION', async () => {
    put({ status: 'ASSIGNED', assigneeId: 'tech-1' });
    const failure = await failureOf(move('manager-1', 'CLOSED'));
    expect(failure.code).toBe('ILLEGAL_TRANSITION');
    expect(failure.message).toContain('from ASSIGNED to CLOSED');
    expect(failure.message).toContain('NEW, IN_PROGRESS, CANCELLED');
  });

  it('answers CONFLICT to a stale expectedVersion and writes nothing', async () => {
    const before = put({ status: 'ASSIGNED', assigneeId: 'tech-1', version: 3 });
    const failure = await failureOf(
      transitionWorkOrder(deps, callerFor('tech-1'), {
        id: 'wo-1',
        to: 'IN_PROGRESS',
        expectedVersion: 2,
      }),
    );
    expect(failure.code).toBe('CONFLICT');
    expect(tables.workOrderRows.get('wo-1')).toEqual(before);
    expect(tables.eventRows).toEqual([]);
  });

  it('answers CONFLICT when someone else writes between read and write, and writes nothing', async () => {
    put({ status: 'ASSIGNED', assigneeId: 'tech-1' });
    tables.beforeWrite = () => {
      const current = tables.workOrderRows.get('wo-1');
      if (current) tables.workOrderRows.set('wo-1', { ...current, version: current.version + 1 });
    };
    expect((await failureOf(move('tech-1', 'IN_PROGRESS'))).code).toBe('CONFLICT');
    expect(tables.workOrderRows.get('wo-1')?.status).toBe('ASSIGNED');
    expect(tables.eventRows).toEqual([]);
  });

  it('lets exactly one of many concurrent transitions with one expectedVersion win', async () => {
    put({ status: 'ASSIGNED', assigneeId: 'tech-1' });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        transitionWorkOrder(deps, callerFor('tech-1'), {
          id: 'wo-1',
          to: 'IN_PROGRESS',
          expectedVersion: 1,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(isDomainError((r as PromiseRejectedResult).reason, 'CONFLICT')).toBe(true);
    }
    expect(tables.eventRows).toHaveLength(1);
    expect(tables.workOrderRows.get('wo-1')?.version).toBe(2);
  });

  it('stamps the lifecycle and derives laborMinutes across hold and resume', async () => {
    put();
    const tech = (to: WorkOrderStatus, extra?: Record<string, unknown>) =>
      move('tech-1', to, extra);
    const taken = await tech('ASSIGNED');
    expect(taken).toMatchObject({
      assigneeId: 'tech-1',
      assigneeName: 'tech-1',
      assignedAt: '2026-03-01T12:00:00.000Z',
    });
    clock.advance(5);
    expect(await tech('IN_PROGRESS')).toMatchObject({ startedAt: '2026-03-01T12:05:00.000Z' });
    clock.advance(25);
    expect(await tech('ON_HOLD', { note: 'Waiting for a washer' })).toMatchObject({
      laborMinutes: 25,
    });
    clock.advance(60); // on hold: not labor
    const resumed = await tech('IN_PROGRESS');
    expect(resumed.startedAt).toBe('2026-03-01T12:05:00.000Z');
    clock.advance(15);
    const done = await tech('COMPLETED', { completionNotes: 'Washer replaced' });
    expect(done).toMatchObject({
      status: 'COMPLETED',
      laborMinutes: 40,
      completedAt: '2026-03-01T13:45:00.000Z',
      completedBy: 'tech-1',
      completionNotes: 'Washer replaced',
    });
    expect(done).not.toHaveProperty('activeSince');
    clock.advance(10);
    const closed = await move('manager-1', 'CLOSED');
    expect(closed).toMatchObject({
      closedAt: '2026-03-01T13:55:00.000Z',
      laborMinutes: 40,
      version: 7,
    });
    expect(
      tables.eventRows.map((e) => [e.kind, e.fromStatus, e.toStatus, e.actorId, e.note]),
    ).toEqual([
      ['ASSIGNED', 'NEW', 'ASSIGNED', 'tech-1', undefined],
      ['STARTED', 'ASSIGNED', 'IN_PROGRESS', 'tech-1', undefined],
      ['PAUSED', 'IN_PROGRESS', 'ON_HOLD', 'tech-1', 'Waiting for a washer'],
      ['RESUMED', 'ON_HOLD', 'IN_PROGRESS', 'tech-1', undefined],
      ['COMPLETED', 'IN_PROGRESS', 'COMPLETED', 'tech-1', undefined],
      ['CLOSED', 'COMPLETED', 'CLOSED', 'manager-1', undefined],
    ]);
  });

  it('lets a manager reject completed work, which clears the completion and counts further labor', async () => {
    put({ status: 'ASSIGNED', assigneeId: 'tech-1' });
    await move('tech-1', 'IN_PROGRESS');
    clock.advance(30);
    await move('tech-1', 'COMPLETED', { completionNotes: 'Done' });
    const rejected = await move('manager-1', 'IN_PROGRESS', { note: 'Still drips' });
    expect(rejected).not.toHaveProperty('completedAt');
    expect(rejected).not.toHaveProperty('completedBy');
    expect(rejected).not.toHaveProperty('completionNotes');
    expect(tables.eventRows.at(-1)).toMatchObject({ kind: 'REJECTED', note: 'Still drips' });
    clock.advance(10);
    expect((await move('tech-1', 'COMPLETED')).laborMinutes).toBe(40);
  });

  it('takes laborMinutes as given instead of deriving them', async () => {
    put({ status: 'IN_PROGRESS', assigneeId: 'tech-1', activeSince: '2026-03-01T11:00:00.000Z' });
    const done = await move('tech-1', 'COMPLETED', { laborMinutes: 15 });
    expect(done).toMatchObject({ laborMinutes: 15, laborSeconds: 900 });
    expect((await move('manager-1', 'CLOSED', { laborMinutes: 20 })).laborMinutes).toBe(20);
  });

  it('keeps openDueAt while open and removes it when done; titleLower always', async () => {
    put({ status: 'IN_PROGRESS', assigneeId: 'tech-1' });
    const paused = await move('tech-1', 'ON_HOLD');
    expect(paused).toMatchObject({
      openDueAt: '2026-03-04T00:00:00.000Z',
      titleLower: 'leaking tap',
    });
    const cancelled = await move('manager-1', 'CANCELLED');
    expect(cancelled).not.toHaveProperty('openDueAt');
    expect(tables.workOrderRows.get('wo-1')).not.toHaveProperty('openDueAt');
  });

  it('unassigns when a manager moves ASSIGNED work back to NEW', async () => {
    put({ status: 'ASSIGNED', assigneeId: 'tech-1', assigneeName: 'tech-1', assignedAt: 'x' });
    const back = await move('manager-1', 'NEW');
    expect(back.status).toBe('NEW');
    for (const field of ['assigneeId', 'assigneeName', 'assignedAt'])
      expect(back).not.toHaveProperty(field);
  });

  it('lets a requester cancel their own request before work starts, not after', async () => {
    put({ status: 'ASSIGNED', assigneeId: 'tech-1' });
    expect((await move('requester-1', 'CANCELLED')).status).toBe('CANCELLED');
    put({ status: 'IN_PROGRESS', assigneeId: 'tech-1' });
    expect((await failureOf(move('requester-1', 'CANCELLED'))).code).toBe('FORBIDDEN');
  });

  it('does not let a technician move work assigned to someone else', async () => {
    put({ status: 'ASSIGNED', assigneeId: 'tech-1' });
    expect((await failureOf(move('tech-2', 'IN_PROGRESS'))).code).toBe('FORBIDDEN');
  });

  it.each([
    ['another MEMBER', 'member-2', 'NOT_FOUND'],
    ['a suspended manager', 'gone-1', 'NOT_FOUND'],
    ['a manager of another organization', 'foreign-manager', 'NOT_FOUND'],
    ['a VIEWER', 'viewer-1', 'FORBIDDEN'],
  ])('refuses %s', async (_name, userId, code) => {
    const before = put({ status: 'NEW' });
    expect((await failureOf(move(userId, 'CANCELLED'))).code).toBe(code);
    expect(tables.workOrderRows.get('wo-1')).toEqual(before);
    expect(tables.eventRows).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const unknown = transitionWorkOrder(deps, callerFor('manager-1'), {
      id: 'wo-unknown',
      to: 'CANCELLED',
      expectedVersion: 1,
    });
    expect((await failureOf(unknown)).code).toBe('NOT_FOUND');
  });

  it.each([
    ['an unknown state', { to: 'DONE' }, 'to'],
    ['a missing version', { expectedVersion: undefined }, 'expectedVersion'],
    ['a fractional version', { expectedVersion: 1.5 }, 'expectedVersion'],
    ['an oversized note', { note: 'x'.repeat(2001) }, 'note'],
    [
      'oversized completion notes',
      { to: 'COMPLETED', completionNotes: 'x'.repeat(5001) },
      'completionNotes',
    ],
    ['completion notes when not completing', { completionNotes: 'done' }, 'completionNotes'],
    ['laborMinutes when not completing or closing', { laborMinutes: 5 }, 'laborMinutes'],
    ['negative laborMinutes', { to: 'COMPLETED', laborMinutes: -1 }, 'laborMinutes'],
    ['absurd laborMinutes', { to: 'COMPLETED', laborMinutes: 10_000_000 }, 'laborMinutes'],
    ['an unknown field', { status: 'CLOSED' }, 'status'],
  ])('refuses %s with VALIDATION naming the field', async (_name, patch, field) => {
    const before = put({ status: 'IN_PROGRESS', assigneeId: 'tech-1' });
    let thrown: unknown;
    try {
      await transitionWorkOrder(deps, callerFor('manager-1'), {
        id: 'wo-1',
        to: 'ON_HOLD',
        expectedVersion: 1,
        ...patch,
      });
    } catch (err) {
      thrown = err;
    }
    expect(isDomainError(thrown, 'VALIDATION')).toBe(true);
    expect((thrown as { field?: string }).field).toBe(field);
    expect(tables.workOrderRows.get('wo-1')).toEqual(before);
    expect(tables.eventRows).toEqual([]);
  });
});

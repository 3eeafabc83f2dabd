import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import { ROLES, type Role } from '../organizations/roles';
import { planTransition, type LifecycleState } from './state-machine';
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from './vocabulary';

/** The lifecycle of docs/PRODUCT.md, written out independently of the implementation. */
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
const WORKERS: Role[] = ['OWNER', 'ADMIN', 'MANAGER', 'TECHNICIAN'];
const CONTRIBUTORS: Role[] = ['OWNER', 'ADMIN', 'MANAGER', 'TECHNICIAN', 'MEMBER'];
const ASSIGNED_STATES: WorkOrderStatus[] = [
  'ASSIGNED',
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
  'CLOSED',
];

/** How the actor relates to the work order: nobody special, its assignee, its requester, or taking it. */
type Relation = 'stranger' | 'assignee' | 'requester' | 'taker';
const RELATIONS: Relation[] = ['stranger', 'assignee', 'requester', 'taker'];

function expected(from: WorkOrderStatus, to: WorkOrderStatus, role: Role, relation: Relation) {
  const parties = EDGES[`${from}>${to}`];
  if (parties === undefined) return 'ILLEGAL_TRANSITION';
  const hasAssignee = ASSIGNED_STATES.includes(from);
  const ok = parties.split(' ').some((party) => {
    if (party === 'manager') return MANAGERS.includes(role);
    if (party === 'requester') return relation === 'requester' && CONTRIBUTORS.includes(role);
    if (party === 'assignee')
      return relation === 'assignee' && hasAssignee && WORKERS.includes(role);
    if (party === 'selfTake') return relation === 'taker' && !hasAssignee && WORKERS.includes(role);
    throw new Error(party);
  });
  return ok ? 'OK' : 'FORBIDDEN';
}

const cases = WORK_ORDER_STATUSES.flatMap((from) =>
  WORK_ORDER_STATUSES.flatMap((to) =>
    ROLES.flatMap((role) =>
      RELATIONS.map(
        (relation) => [from, to, role, relation, expected(from, to, role, relation)] as const,
      ),
    ),
  ),
);

const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('planTransition', () => {
  it.each(cases)('%s → %s by a %s (%s): %s', (from, to, role, relation, outcome) => {
    const assigned = ASSIGNED_STATES.includes(from);
    const state: LifecycleState = {
      status: from,
      requesterId: 'requester-1',
      assigneeId: assigned ? 'tech-1' : undefined,
      startedAt: from === 'IN_PROGRESS' ? '2026-03-01T11:00:00.000Z' : undefined,
      activeSince: from === 'IN_PROGRESS' ? '2026-03-01T11:00:00.000Z' : undefined,
    };
    const userId = {
      stranger: 'other-1',
      assignee: 'tech-1',
      requester: 'requester-1',
      taker: 'other-1',
    }[relation];
    const newAssigneeId = relation === 'taker' ? userId : 'tech-2';
    const run = () =>
      planTransition({ state, to, actor: { userId, role }, now: NOW, newAssigneeId });
    if (outcome === 'OK') {
      expect(run().to).toBe(to);
    } else {
      let thrown: unknown;
      try {
        run();
      } catch (err) {
        thrown = err;
      }
      expect(isDomainError(thrown, outcome)).toBe(true);
    }
  });

  const manager = { userId: 'manager-1', role: 'MANAGER' as const };
  const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

  it('stamps assignedAt on NEW → ASSIGNED', () => {
    const plan = planTransition({
      state: { status: 'NEW', requesterId: 'r' },
      to: 'ASSIGNED',
      actor: manager,
      now: NOW,
    });
    expect(plan).toMatchObject({ kind: 'ASSIGNED', patch: { assignedAt: NOW.toISOString() } });
  });

  it('counts only time IN_PROGRESS, not ON_HOLD, in laborMinutes', () => {
    let state: LifecycleState = { status: 'ASSIGNED', requesterId: 'r', assigneeId: 'tech-1' };
    const step = (to: WorkOrderStatus, minutes: number) => {
      const plan = planTransition({ state, to, actor: manager, now: at(minutes) });
      state = { ...state, ...plan.patch, status: to };
      return plan;
    };
    expect(step('IN_PROGRESS', 0).patch.startedAt).toBe(at(0).toISOString());
    expect(step('ON_HOLD', 30).patch.laborMinutes).toBe(30);
    expect(step('IN_PROGRESS', 90).patch.startedAt).toBe(at(0).toISOString());
    const done = step('COMPLETED', 100);
    expect(done.patch).toMatchObject({
      laborMinutes: 40,
      completedAt: at(100).toISOString(),
      completedBy: 'manager-1',
    });
    const rejected = step('IN_PROGRESS', 120);
    expect(rejected.kind).toBe('REJECTED');
    expect(rejected.patch).toMatchObject({ completedAt: null, completedBy: null });
    expect(step('COMPLETED', 125).patch.laborMinutes).toBe(45);
    expect(step('CLOSED', 200).patch).toEqual({ closedAt: at(200).toISOString() });
  });

  it('clears assignedAt when a work order goes back to NEW', () => {
    const plan = planTransition({
      state: {
        status: 'ASSIGNED',
        requesterId: 'r',
        assigneeId: 't',
        assignedAt: 'x',
      } as LifecycleState,
      to: 'NEW',
      actor: manager,
      now: NOW,
    });
    expect(plan).toMatchObject({ kind: 'UNASSIGNED', patch: { assignedAt: null } });
  });

  it('rejects CLOSED → IN_PROGRESS saying CLOSED is final', () => {
    expect(() =>
      planTransition({
        state: { status: 'CLOSED', requesterId: 'r' },
        to: 'IN_PROGRESS',
        actor: manager,
        now: NOW,
      }),
    ).toThrow(/CLOSED to IN_PROGRESS/);
  });
});

import { assertNever } from '../assert-never';
import { DomainError } from '../errors';
import { can } from '../organizations/permissions';
import type { Role } from '../organizations/roles';
import type { WorkOrderStatus } from './vocabulary';

/** Who is acting on a work order: their user id and their role in its organization. */
export type Actor = { userId: string; role: Role };

/** The part of a work order the lifecycle reads. */
export type LifecycleState = {
  status: WorkOrderStatus;
  requesterId: string;
  assigneeId?: string | null;
  startedAt?: string | null;
  /** When the current IN_PROGRESS stretch began; absent while not in progress. */
  activeSince?: string | null;
  /** Seconds spent IN_PROGRESS in earlier stretches (ON_HOLD excluded). */
  laborSeconds?: number | null;
};

/** The audit-event kinds of work-order changes. */
export const WORK_ORDER_EVENT_KINDS = [
  'SUBMITTED',
  'PUBLISHED',
  'ASSIGNED',
  'REASSIGNED',
  'UNASSIGNED',
  'STARTED',
  'PAUSED',
  'RESUMED',
  'COMPLETED',
  'REJECTED',
  'CLOSED',
  'CANCELLED',
  'COMMENT',
] as const;
export type WorkOrderEventKind = (typeof WORK_ORDER_EVENT_KINDS)[number];

/** Fields a transition sets; `null` removes the field. */
export type LifecyclePatch = {
  assignedAt?: string | null;
  startedAt?: string | null;
  completedAt?: string | null;
  completedBy?: string | null;
  closedAt?: string | null;
  activeSince?: string | null;
  laborSeconds?: number;
  laborMinutes?: number;
  completionNotes?: string | null;
};

/** The outcome of a permitted transition. */
export type TransitionPlan = {
  from: WorkOrderStatus;
  to: WorkOrderStatus;
  kind: WorkOrderEventKind;
  patch: LifecyclePatch;
};

/**
 * Who may take an edge: `manager` (MANAGER and up), `assignee` (a technician-or-above the work
 * is assigned to), `requester` (whoever asked for it, while they may cancel or submit),
 * `selfTake` (a technician-or-above taking unassigned work for themselves).
 */
export type Party = 'manager' | 'assignee' | 'requester' | 'selfTake';

/** The lifecycle of docs/PRODUCT.md: every legal edge and the parties who may take it. */
export const TRANSITIONS: Readonly<
  Record<WorkOrderStatus, Readonly<Partial<Record<WorkOrderStatus, readonly Party[]>>>>
> = {
  // A draft is private to its author until submitted; a manager may still discard it.
  DRAFT: { NEW: ['requester'], CANCELLED: ['manager', 'requester'] },
  NEW: { ASSIGNED: ['manager', 'selfTake'], CANCELLED: ['manager', 'requester'] },
  ASSIGNED: {
    NEW: ['manager'],
    IN_PROGRESS: ['manager', 'assignee'],
    CANCELLED: ['manager', 'requester'],
  },
  IN_PROGRESS: {
    ON_HOLD: ['manager', 'assignee'],
    COMPLETED: ['manager', 'assignee'],
    CANCELLED: ['manager'],
  },
  ON_HOLD: { IN_PROGRESS: ['manager', 'assignee'], CANCELLED: ['manager'] },
  COMPLETED: { CLOSED: ['manager'], IN_PROGRESS: ['manager'] },
  CLOSED: {},
  CANCELLED: {},
};

/** The statuses reachable from `from` by anyone. */
export const nextStatuses = (from: WorkOrderStatus): WorkOrderStatus[] =>
  Object.keys(TRANSITIONS[from]) as WorkOrderStatus[];

const isManager = (role: Role): boolean => can(role, 'workOrders.assign');

function partyApplies(
  party: Party,
  state: LifecycleState,
  to: WorkOrderStatus,
  actor: Actor,
  newAssigneeId: string | undefined,
): boolean {
  switch (party) {
    case 'manager':
      return isManager(actor.role);
    case 'assignee':
      return (
        !!state.assigneeId &&
        state.assigneeId === actor.userId &&
        can(actor.role, 'workOrders.progress')
      );
    case 'requester':
      return (
        state.requesterId === actor.userId &&
        can(actor.role, to === 'CANCELLED' ? 'workOrders.cancelOwn' : 'workOrders.submit')
      );
    case 'selfTake':
      return (
        !state.assigneeId && newAssigneeId === actor.userId && can(actor.role, 'workOrders.take')
      );
    default:
      return assertNever(party);
  }
}

/** Whether `actor` may move the work order to `to` (ignoring whether the edge exists). */
export function mayTransition(
  state: LifecycleState,
  to: WorkOrderStatus,
  actor: Actor,
  newAssigneeId?: string,
): boolean {
  const parties = TRANSITIONS[state.status][to] ?? [];
  return parties.some((party) => partyApplies(party, state, to, actor, newAssigneeId));
}

/** Seconds of the IN_PROGRESS stretch that ends at `now`, plus earlier ones. */
function laborUntil(state: LifecycleState, now: Date): LifecyclePatch {
  const earlier = state.laborSeconds ?? 0;
  const since = state.activeSince ? Date.parse(state.activeSince) : NaN;
  const stretch = Number.isNaN(since) ? 0 : Math.max(0, Math.round((now.getTime() - since) / 1000));
  const laborSeconds = earlier + stretch;
  return { laborSeconds, laborMinutes: Math.round(laborSeconds / 60), activeSince: null };
}

function eventKind(from: WorkOrderStatus, to: WorkOrderStatus): WorkOrderEventKind {
  switch (to) {
    case 'DRAFT':
      throw new Error('Nothing moves back to DRAFT.');
    case 'NEW':
      return from === 'DRAFT' ? 'PUBLISHED' : 'UNASSIGNED';
    case 'ASSIGNED':
      return 'ASSIGNED';
    case 'IN_PROGRESS':
      if (from === 'ON_HOLD') return 'RESUMED';
      return from === 'COMPLETED' ? 'REJECTED' : 'STARTED';
    case 'ON_HOLD':
      return 'PAUSED';
    case 'COMPLETED':
      return 'COMPLETED';
    case 'CLOSED':
      return 'CLOSED';
    case 'CANCELLED':
      return 'CANCELLED';
    default:
      return assertNever(to);
  }
}

function stamps(
  state: LifecycleState,
  to: WorkOrderStatus,
  actor: Actor,
  now: Date,
): LifecyclePatch {
  const at = now.toISOString();
  const leavingWork = state.status === 'IN_PROGRESS' ? laborUntil(state, now) : {};
  switch (to) {
    case 'DRAFT':
      return {};
    case 'NEW':
      return state.status === 'ASSIGNED' ? { assignedAt: null } : {};
    case 'ASSIGNED':
      return { assignedAt: at };
    case 'IN_PROGRESS':
      return state.status === 'COMPLETED'
        ? { activeSince: at, completedAt: null, completedBy: null, completionNotes: null }
        : { activeSince: at, startedAt: state.startedAt ?? at };
    case 'ON_HOLD':
      return leavingWork;
    case 'COMPLETED':
      return { ...leavingWork, completedAt: at, completedBy: actor.userId };
    case 'CLOSED':
      return { closedAt: at };
    case 'CANCELLED':
      return leavingWork;
    default:
      return assertNever(to);
  }
}

/**
 * Checks a status change and returns what it sets: ILLEGAL_TRANSITION when the lifecycle has no
 * such edge, FORBIDDEN when the actor may not take it. `newAssigneeId` matters only for → ASSIGNED.
 */
export function planTransition(input: {
  state: LifecycleState;
  to: WorkOrderStatus;
  actor: Actor;
  now: Date;
  newAssigneeId?: string;
}): TransitionPlan {
  const { state, to, actor, now, newAssigneeId } = input;
  const from = state.status;
  const parties = TRANSITIONS[from][to];
  if (parties === undefined) {
    const legal = nextStatuses(from);
    throw new DomainError('ILLEGAL_TRANSITION', `A work order cannot go from ${from} to ${to}.`, {
      field: 'status',
      resolution:
        legal.length === 0
          ? `${from} is final.`
          : `From ${from} it can go to: ${legal.join(', ')}.`,
    });
  }
  if (!mayTransition(state, to, actor, newAssigneeId)) {
    throw new DomainError(
      'FORBIDDEN',
      `A ${actor.role} may not move this work order from ${from} to ${to}.`,
      { resolution: `Allowed for: ${parties.map(describeParty).join(' or ')}.` },
    );
  }
  return { from, to, kind: eventKind(from, to), patch: stamps(state, to, actor, now) };
}

function describeParty(party: Party): string {
  switch (party) {
    case 'manager':
      return 'a MANAGER, ADMIN or OWNER';
    case 'assignee':
      return 'the assigned technician';
    case 'requester':
      return 'its requester';
    case 'selfTake':
      return 'a technician taking unassigned work for themselves';
    default:
      return assertNever(party);
  }
}

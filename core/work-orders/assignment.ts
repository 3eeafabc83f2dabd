import { DomainError } from '../errors';
import { can } from '../organizations/permissions';
import { memberName, type MemberRecord, type WorkOrderRecord } from '../records';
import {
  planTransition,
  type Actor,
  type LifecyclePatch,
  type WorkOrderEventKind,
} from './state-machine';
import type { WorkOrderStatus } from './vocabulary';

/** What an assignment changes: the new status, the fields to set (`null` removes) and the event. */
export type AssignmentPlan = {
  status: WorkOrderStatus;
  patch: LifecyclePatch & { assigneeId?: string | null; assigneeName?: string | null };
  kind: WorkOrderEventKind;
};

/** Statuses in which work can change hands without changing status. */
export const REASSIGNABLE_STATUSES: readonly WorkOrderStatus[] = [
  'ASSIGNED',
  'IN_PROGRESS',
  'ON_HOLD',
];

/** Where a work order can be given to someone: NEW (it becomes ASSIGNED), or reassigned. */
export const ASSIGNABLE_STATUSES: readonly WorkOrderStatus[] = ['NEW', ...REASSIGNABLE_STATUSES];

/**
 * Decides an assignment: MANAGER and up assign any ACTIVE technician-or-above of the same
 * organization, or unassign before work starts; a technician takes unassigned NEW work for
 * themselves. UNCHANGED when the assignee is already the one asked for.
 */
export function planAssignment(input: {
  workOrder: WorkOrderRecord;
  actor: Actor;
  /** The requested assignee; undefined unassigns. */
  assigneeId: string | undefined;
  /** The requested assignee's membership of the work order's organization, if any. */
  assignee: MemberRecord | undefined;
  now: Date;
}): AssignmentPlan | 'UNCHANGED' {
  const { workOrder, actor, assigneeId, assignee, now } = input;
  if (assigneeId === workOrder.assigneeId) return 'UNCHANGED';
  const manager = can(actor.role, 'workOrders.assign');

  if (assigneeId === undefined) {
    if (!manager) {
      throw new DomainError('FORBIDDEN', `A ${actor.role} may not unassign work orders.`, {
        resolution: 'Ask a MANAGER, ADMIN or OWNER.',
      });
    }
    if (workOrder.status !== 'ASSIGNED') {
      throw new DomainError(
        'ILLEGAL_TRANSITION',
        `A ${workOrder.status} work order cannot be unassigned.`,
        {
          field: 'assigneeId',
          resolution: 'Unassign only before work starts; reassign it to someone else instead.',
        },
      );
    }
    const plan = planTransition({ state: workOrder, to: 'NEW', actor, now });
    return {
      status: 'NEW',
      kind: plan.kind,
      patch: { ...plan.patch, assigneeId: null, assigneeName: null },
    };
  }

  const selfTake = assigneeId === actor.userId && can(actor.role, 'workOrders.take');
  if (!manager && !selfTake) {
    throw new DomainError('FORBIDDEN', `A ${actor.role} may not assign work orders to others.`, {
      resolution: 'Ask a MANAGER, ADMIN or OWNER, or take unassigned work for yourself.',
    });
  }
  if (!assignee || assignee.status !== 'ACTIVE' || !can(assignee.role, 'workOrders.progress')) {
    throw new DomainError(
      'VALIDATION',
      'assigneeId: is not an active technician of this organization.',
      {
        field: 'assigneeId',
        resolution: 'Choose an ACTIVE member with the TECHNICIAN, MANAGER, ADMIN or OWNER role.',
      },
    );
  }
  const who = { assigneeId, assigneeName: memberName(assignee) };

  if (workOrder.status === 'NEW') {
    // The state machine decides who may: managers, or a technician taking it for themselves.
    const plan = planTransition({
      state: workOrder,
      to: 'ASSIGNED',
      actor,
      now,
      newAssigneeId: assigneeId,
    });
    return { status: 'ASSIGNED', kind: plan.kind, patch: { ...plan.patch, ...who } };
  }
  if (REASSIGNABLE_STATUSES.includes(workOrder.status)) {
    if (!manager) {
      throw new DomainError('FORBIDDEN', 'This work order is already assigned to someone else.', {
        resolution: 'Ask a MANAGER, ADMIN or OWNER to reassign it.',
      });
    }
    return {
      status: workOrder.status,
      kind: 'REASSIGNED',
      patch: { ...who, assignedAt: now.toISOString() },
    };
  }
  throw new DomainError(
    'ILLEGAL_TRANSITION',
    `A ${workOrder.status} work order cannot be assigned.`,
    {
      field: 'status',
      resolution:
        workOrder.status === 'DRAFT'
          ? 'Submit the draft first.'
          : 'Only NEW, ASSIGNED, IN_PROGRESS or ON_HOLD work orders can be assigned.',
    },
  );
}

/** Applies a patch where `null` removes a field, leaving the record free of nulls. */
export function applyPatch<T extends Record<string, unknown>>(
  record: T,
  patch: Record<string, unknown>,
): T {
  const next: Record<string, unknown> = { ...record };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as T;
}

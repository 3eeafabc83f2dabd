import { can } from '../../../core/organizations/permissions';
import {
  mayTransition,
  nextStatuses,
  type Actor,
  type LifecycleState,
} from '../../../core/work-orders/state-machine';
import type { WorkOrderStatus } from '../../../core/work-orders/vocabulary';

/** The buttons a work order's page can offer. */
export type WorkOrderAction =
  | { kind: 'assign' }
  | { kind: 'take' }
  | { kind: 'unassign' }
  | { kind: 'transition'; to: WorkOrderStatus; label: string; needsDialog: boolean };

/** Statuses in which a manager can give the work to someone (core/work-orders/assignment.ts). */
const ASSIGNABLE: readonly WorkOrderStatus[] = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'ON_HOLD'];

const transitionLabel = (from: WorkOrderStatus, to: WorkOrderStatus): string => {
  switch (to) {
    case 'IN_PROGRESS':
      if (from === 'ON_HOLD') return 'Resume';
      return from === 'COMPLETED' ? 'Reject work' : 'Start work';
    case 'ON_HOLD':
      return 'Put on hold…';
    case 'COMPLETED':
      return 'Complete…';
    case 'CLOSED':
      return 'Close';
    case 'CANCELLED':
      return 'Cancel work order';
    default:
      return `Move to ${to}`;
  }
};

/**
 * The actions this person may take on this work order now, decided by the same state machine
 * and permission matrix the server checks (so the page never offers what would be refused).
 */
export const actionsFor = (
  workOrder: LifecycleState & { assigneeId?: string | null },
  actor: Actor,
): WorkOrderAction[] => {
  const { status } = workOrder;
  const actions: WorkOrderAction[] = [];
  if (
    status === 'NEW' &&
    !workOrder.assigneeId &&
    mayTransition(workOrder, 'ASSIGNED', actor, actor.userId)
  ) {
    actions.push({ kind: 'take' });
  }
  if (can(actor.role, 'workOrders.assign') && ASSIGNABLE.includes(status)) {
    actions.push({ kind: 'assign' });
  }
  if (status === 'ASSIGNED' && mayTransition(workOrder, 'NEW', actor)) {
    actions.push({ kind: 'unassign' });
  }
  for (const to of nextStatuses(status)) {
    // Assignment edges go through assignWorkOrder (it records who), handled above.
    if (to === 'ASSIGNED' || to === 'NEW' || to === 'DRAFT') continue;
    if (!mayTransition(workOrder, to, actor)) continue;
    actions.push({
      kind: 'transition',
      to,
      label: transitionLabel(status, to),
      // Each of these asks for words: what was done, or why (a hold's reason is required).
      needsDialog:
        to === 'COMPLETED' ||
        to === 'ON_HOLD' ||
        to === 'CANCELLED' ||
        (status === 'COMPLETED' && to === 'IN_PROGRESS'),
    });
  }
  return actions;
};

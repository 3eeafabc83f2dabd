import type { WorkOrderRecord } from '../records';
import type { WorkOrderStatus } from './vocabulary';

/** Statuses after which a work order can no longer be overdue. */
export const DONE_STATUSES: readonly WorkOrderStatus[] = ['COMPLETED', 'CLOSED', 'CANCELLED'];

/** Whether a work order in this status still has work ahead of it. */
export const isOpen = (status: WorkOrderStatus): boolean => !DONE_STATUSES.includes(status);

/**
 * Sets the fields that are functions of others: `openDueAt` (dueAt while open, absent after, so
 * the `openWorkOrdersByDueDate` index holds only what can be overdue) and `titleLower`. Every
 * write of a work order goes through this, so the index never lags behind a status change.
 */
export function withDerivedFields(workOrder: WorkOrderRecord): WorkOrderRecord {
  const { openDueAt: _previous, ...rest } = workOrder;
  return {
    ...rest,
    ...(workOrder.dueAt && isOpen(workOrder.status) ? { openDueAt: workOrder.dueAt } : {}),
    titleLower: workOrder.title.toLowerCase(),
  };
}

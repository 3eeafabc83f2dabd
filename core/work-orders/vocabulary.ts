/** The states of a work order; the transitions between them live in the state machine. */
export const WORK_ORDER_STATUSES = [
  'DRAFT',
  'NEW',
  'ASSIGNED',
  'IN_PROGRESS',
  'ON_HOLD',
  'COMPLETED',
  'CLOSED',
  'CANCELLED',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Each priority as people say it, for screens and emails. */
export const PRIORITY_LABELS: Readonly<Record<Priority, string>> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  URGENT: 'Urgent',
};

/** A stored priority in people's words; an unknown value is shown as it is. */
export const priorityLabel = (priority: string): string =>
  (PRIORITY_LABELS as Readonly<Record<string, string>>)[priority] ?? priority;

export const CATEGORIES = [
  'PLUMBING',
  'ELECTRICAL',
  'HVAC',
  'STRUCTURAL',
  'SECURITY',
  'CLEANING',
  'GROUNDS',
  'EMERGENCY',
  'OTHER',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const WORK_ORDER_TYPES = ['CORRECTIVE', 'PREVENTIVE'] as const;
export type WorkOrderType = (typeof WORK_ORDER_TYPES)[number];

/** The longest title a work order may have; the rest belongs in its description. */
export const MAX_TITLE_LENGTH = 200;

/** The longest note a status change may carry (why the work is on hold, why it was cancelled). */
export const MAX_TRANSITION_NOTE_LENGTH = 2000;

/** The human number of a work order within its organization. */
export const workOrderLabel = (number: number): string => `WO-${number}`;

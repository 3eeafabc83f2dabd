import {
  PRIORITIES,
  WORK_ORDER_STATUSES,
  type Priority,
  type WorkOrderStatus,
} from '../../../core/work-orders/vocabulary';

/** The fields of a work order the dashboard reads. */
export type WorkOrderFacts = {
  status: WorkOrderStatus;
  priority: Priority;
  createdAt: string;
  assignedAt?: string | null;
  completedAt?: string | null;
};

/** One bar of a chart: a label and its count. */
export type Tally = { key: string; value: number };

const DONE: readonly WorkOrderStatus[] = ['COMPLETED', 'CLOSED', 'CANCELLED'];
/** Drafts are the requester's own until submitted, so they are not open work for the team. */
const NOT_OPEN_WORK: readonly WorkOrderStatus[] = [...DONE, 'DRAFT'];

/** The statuses that count as open work, in lifecycle order. */
export const OPEN_STATUSES: readonly WorkOrderStatus[] = WORK_ORDER_STATUSES.filter(
  (status) => !NOT_OPEN_WORK.includes(status),
);

/** Whether a work order is still waiting for or receiving work. */
export const isOpenWork = (workOrder: Pick<WorkOrderFacts, 'status'>): boolean =>
  !NOT_OPEN_WORK.includes(workOrder.status);

const tally = <K extends string>(keys: readonly K[], values: readonly K[]): Tally[] =>
  keys.map((key) => ({ key, value: values.filter((value) => value === key).length }));

/** Open work counted per status, every open status present (zeros included) in lifecycle order. */
export const openByStatus = (workOrders: readonly WorkOrderFacts[]): Tally[] =>
  tally(
    OPEN_STATUSES,
    workOrders.filter(isOpenWork).map((w) => w.status),
  );

/** Open work counted per priority, from URGENT down. */
export const openByPriority = (workOrders: readonly WorkOrderFacts[]): Tally[] =>
  tally(
    [...PRIORITIES].reverse(),
    workOrders.filter(isOpenWork).map((w) => w.priority),
  );

/** An average over one week: milliseconds (undefined when nothing happened) and how many. */
export type WeeklyAverage = { averageMs: number | undefined; count: number };

/** One duration measured this week and the week before. */
export type WeekOverWeek = { thisWeek: WeeklyAverage; lastWeek: WeeklyAverage };

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

const average = (durations: readonly number[]): WeeklyAverage => ({
  averageMs:
    durations.length === 0
      ? undefined
      : durations.reduce((sum, d) => sum + d, 0) / durations.length,
  count: durations.length,
});

/**
 * The mean time from creation to `field`, for work orders whose `field` falls in the last seven
 * days and in the seven before. Weeks are rolling rather than calendar weeks so that a Monday
 * morning does not compare an empty week against a full one.
 */
export const weekOverWeek = (
  workOrders: readonly WorkOrderFacts[],
  field: 'assignedAt' | 'completedAt',
  now: Date,
): WeekOverWeek => {
  const end = now.getTime();
  const thisWeek: number[] = [];
  const lastWeek: number[] = [];
  for (const workOrder of workOrders) {
    const at = workOrder[field];
    if (at === null || at === undefined) continue;
    const when = Date.parse(at);
    const duration = when - Date.parse(workOrder.createdAt);
    if (Number.isNaN(duration) || duration < 0 || when > end) continue;
    if (when > end - WEEK_MS) thisWeek.push(duration);
    else if (when > end - 2 * WEEK_MS) lastWeek.push(duration);
  }
  return { thisWeek: average(thisWeek), lastWeek: average(lastWeek) };
};

/** A duration for people: "45 min", "3 h 20 min", "2 d 4 h"; "–" when unknown. */
export const formatDuration = (ms: number | undefined): string => {
  if (ms === undefined) return '–';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
};

/** The work orders that were due before `now` and are still open (openDueAt is cleared when done). */
export const overdueCount = (
  workOrders: readonly { openDueAt?: string | null; status: WorkOrderStatus }[],
  now: Date,
): number =>
  workOrders.filter(
    (w) =>
      isOpenWork(w) &&
      w.openDueAt !== null &&
      w.openDueAt !== undefined &&
      Date.parse(w.openDueAt) < now.getTime(),
  ).length;

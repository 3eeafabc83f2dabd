import { useCallback, useEffect, useRef } from 'react';
import { client, type Schema } from '../../lib/amplify-client';
import { hasErrorType, throwOnErrors } from '../../lib/graphql-errors';
import type { LiveState } from '../../lib/realtime-state';
import { useLiveQuery } from '../../lib/use-live-query';
import { newer } from '../../lib/versions';
import type { WorkOrder } from './use-work-orders';

/** One entry of a work order's timeline (submitted, assigned, transitions, comments). */
export type WorkOrderEvent = Schema['WorkOrderEvent']['type'];

/** A work order, its timeline and whether both are live. */
export type WorkOrderState = {
  status: 'loading' | 'ready' | 'not-found' | 'error';
  workOrder: WorkOrder | null;
  error: string | null;
  events: WorkOrderEvent[];
  eventsError: string | null;
  live: LiveState;
  liveError: string | null;
};

/**
 * Comments fire no subscription (only submit, assign and transition do), so the timeline is
 * also re-read at this interval while the page is open.
 */
const TIMELINE_POLL_MS = 15_000;
const TIMELINE_LIMIT = 500;

/**
 * The work order, or null when there is none the caller may read: AppSync answers Unauthorized for
 * another organization's work order, which to the person is the same as a missing one.
 */
const fetchWorkOrder = async (id: string): Promise<WorkOrder | null> => {
  const { data, errors } = await client.models.WorkOrder.get({ id });
  if (errors !== undefined && errors.length > 0 && hasErrorType(errors, 'Unauthorized')) {
    return null;
  }
  throwOnErrors(errors);
  return data ?? null;
};

const fetchEvents = async (workOrderId: string): Promise<WorkOrderEvent[]> => {
  const { data, errors } = await client.models.WorkOrderEvent.eventsByWorkOrder(
    { workOrderId },
    { sortDirection: 'ASC', limit: TIMELINE_LIMIT },
  );
  throwOnErrors(errors);
  return data;
};

/**
 * One work order and its timeline, updated live through `onWorkOrderChanged` of its
 * organization; the timeline is read again whenever the work order's version moves.
 * `reload` reads the work order again (after a CONFLICT); `accept` takes a mutation's answer.
 */
export const useWorkOrder = (
  organizationId: string,
  id: string,
): WorkOrderState & {
  reload: () => Promise<void>;
  accept: (workOrder: WorkOrder) => void;
  refreshTimeline: () => Promise<void>;
} => {
  const query = useLiveQuery<WorkOrder | null, WorkOrder | null | undefined>({
    key: JSON.stringify([organizationId, id]),
    read: () => fetchWorkOrder(id),
    subscribe: (observer) =>
      client.subscriptions.onWorkOrderChanged({ organizationId }).subscribe(observer),
    apply: (shown, changed) =>
      changed === null || changed === undefined || changed.id !== id
        ? shown
        : newer(shown, changed),
    // A CONFLICT means the copy shown is older than the server's, so the fresh read wins.
    reconcile: (shown, fresh) => (fresh === null ? null : newer(shown, fresh)),
  });
  const timeline = useLiveQuery<WorkOrderEvent[]>({
    key: id,
    read: () => fetchEvents(id),
    pollMs: TIMELINE_POLL_MS,
  });

  // Every change writes a timeline entry in the same transaction as the new version.
  const version = query.data?.version;
  const seenVersion = useRef(version);
  const { reload: reloadTimeline } = timeline;
  const { update } = query;
  useEffect(() => {
    if (version === undefined) return;
    if (seenVersion.current !== undefined && seenVersion.current !== version) void reloadTimeline();
    seenVersion.current = version;
  }, [version, reloadTimeline]);

  const { reload: reloadWorkOrder } = query;
  const reload = useCallback(async () => {
    await reloadWorkOrder();
  }, [reloadWorkOrder]);
  const refreshTimeline = useCallback(async () => {
    await reloadTimeline();
  }, [reloadTimeline]);
  const accept = useCallback(
    (workOrder: WorkOrder) => update((shown) => newer(shown, workOrder)),
    [update],
  );

  const workOrder = query.data ?? null;
  return {
    status: query.status === 'ready' && workOrder === null ? 'not-found' : query.status,
    workOrder,
    error: query.error,
    events: timeline.data ?? [],
    eventsError: timeline.error,
    live: query.live,
    liveError: query.liveError,
    reload,
    accept,
    refreshTimeline,
  };
};

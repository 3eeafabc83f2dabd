import { useCallback, useEffect, useState } from 'react';
import { client, type Schema } from '../../lib/amplify-client';
import { errorMessage, throwOnErrors } from '../../lib/graphql-errors';
import { listenToLiveState, type LiveState } from '../../lib/realtime-state';
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

const initialState: WorkOrderState = {
  status: 'loading',
  workOrder: null,
  error: null,
  events: [],
  eventsError: null,
  live: 'connecting',
  liveError: null,
};

const fetchWorkOrder = async (id: string): Promise<WorkOrder | null> => {
  const { data, errors } = await client.models.WorkOrder.get({ id });
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

/** Keeps the newer of two copies of a work order (events can arrive after a mutation's answer). */
const newer = (existing: WorkOrder | null, incoming: WorkOrder): WorkOrder =>
  existing !== null && existing.id === incoming.id && existing.version > incoming.version
    ? existing
    : incoming;

/**
 * One work order and its timeline, updated live through `onWorkOrderChanged` of its
 * organization. `reload` reads both again (after a CONFLICT); `accept` takes a mutation's answer.
 */
export const useWorkOrder = (
  organizationId: string,
  id: string,
): WorkOrderState & {
  reload: () => Promise<void>;
  accept: (workOrder: WorkOrder) => void;
  refreshTimeline: () => Promise<void>;
} => {
  const [state, setState] = useState<WorkOrderState>(initialState);
  const [generation, setGeneration] = useState(0);

  const refreshTimeline = useCallback(async () => {
    try {
      const events = await fetchEvents(id);
      setState((s) => ({ ...s, events, eventsError: null }));
    } catch (err) {
      setState((s) => ({ ...s, eventsError: errorMessage(err) }));
    }
  }, [id]);

  useEffect(() => {
    let active = true;
    setState((s) => ({
      ...initialState,
      live: s.live,
      workOrder: s.workOrder?.id === id ? s.workOrder : null,
    }));

    const loadTimeline = () =>
      fetchEvents(id).then(
        (events) => active && setState((s) => ({ ...s, events, eventsError: null })),
        (err: unknown) => active && setState((s) => ({ ...s, eventsError: errorMessage(err) })),
      );

    const stopListening = listenToLiveState((live) => {
      if (active) setState((s) => (s.live === 'failed' ? s : { ...s, live }));
    });
    const subscription = client.subscriptions.onWorkOrderChanged({ organizationId }).subscribe({
      next: (changed) => {
        if (!active || changed === null || changed === undefined || changed.id !== id) return;
        setState((s) => ({ ...s, status: 'ready', workOrder: newer(s.workOrder, changed) }));
        // Every change writes a timeline entry in the same transaction.
        void loadTimeline();
      },
      error: (err: unknown) => {
        if (active) setState((s) => ({ ...s, live: 'failed', liveError: errorMessage(err) }));
      },
    });

    fetchWorkOrder(id).then(
      (workOrder) => {
        if (!active) return;
        setState((s) =>
          workOrder === null
            ? { ...s, status: 'not-found', workOrder: null }
            : { ...s, status: 'ready', error: null, workOrder: newer(s.workOrder, workOrder) },
        );
      },
      (err: unknown) => {
        if (active) setState((s) => ({ ...s, status: 'error', error: errorMessage(err) }));
      },
    );
    void loadTimeline();
    const poll = window.setInterval(() => {
      if (document.visibilityState === 'visible') void loadTimeline();
    }, TIMELINE_POLL_MS);

    return () => {
      active = false;
      window.clearInterval(poll);
      stopListening();
      subscription.unsubscribe();
    };
  }, [organizationId, id, generation]);

  const reload = useCallback(async () => {
    // A CONFLICT means our copy is stale: drop it so the fresh read is not mistaken for older.
    setState((s) => ({ ...s, workOrder: null }));
    setGeneration((g) => g + 1);
    return Promise.resolve();
  }, []);

  const accept = useCallback((workOrder: WorkOrder) => {
    setState((s) => ({ ...s, status: 'ready', workOrder: newer(s.workOrder, workOrder) }));
  }, []);

  return { ...state, reload, accept, refreshTimeline };
};

import { useCallback, useEffect, useState } from 'react';
import { CONNECTION_STATE_CHANGE, ConnectionState } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import { client, type Schema } from '../../lib/amplify-client';
import { errorMessage } from '../../lib/graphql-errors';

/** A work order as the list and the live updates deliver it. */
export type WorkOrder = Schema['WorkOrder']['type'];

/** How many work orders the list asks for (newest first). */
export const WORK_ORDER_PAGE_SIZE = 50;

/** The list of one organization's work orders and the state of its live updates. */
export type WorkOrdersState = {
  items: WorkOrder[];
  status: 'loading' | 'ready' | 'error';
  /** Why loading failed, or what the server refused while still returning some rows. */
  error: string | null;
  /** Whether changes made elsewhere arrive; after `failed` only a reload or a switch retries. */
  live: LiveState;
  liveError: string | null;
};

/** The realtime connection as people need to know it. */
export type LiveState = 'connecting' | 'live' | 'interrupted' | 'failed';

const liveStateOf = (state: ConnectionState): LiveState | undefined => {
  switch (state) {
    case ConnectionState.Connected:
      return 'live';
    case ConnectionState.Connecting:
      return 'connecting';
    case ConnectionState.ConnectionDisrupted:
    case ConnectionState.ConnectionDisruptedPendingNetwork:
    case ConnectionState.ConnectedPendingNetwork:
    case ConnectionState.ConnectedPendingKeepAlive:
      return 'interrupted';
    case ConnectionState.ConnectedPendingDisconnect:
    case ConnectionState.Disconnected:
      // Between subscriptions (an organization switch); the subscription's own error says more.
      return undefined;
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
};

const newestFirst = (a: WorkOrder, b: WorkOrder): number =>
  b.createdAt.localeCompare(a.createdAt) || b.number - a.number;

/** Inserts or replaces one work order by id, keeping the list newest first. */
export const mergeWorkOrder = (items: readonly WorkOrder[], changed: WorkOrder): WorkOrder[] => {
  const index = items.findIndex((item) => item.id === changed.id);
  if (index === -1) return [...items, changed].sort(newestFirst);
  const existing = items[index];
  // An event can arrive after a fresher copy (the mutation's own answer); keep the newer version.
  if (existing !== undefined && existing.version > changed.version) return [...items];
  const next = [...items];
  next[index] = changed;
  return next.sort(newestFirst);
};

const initialState: WorkOrdersState = {
  items: [],
  status: 'loading',
  error: null,
  live: 'connecting',
  liveError: null,
};

/**
 * The newest work orders of an organization, kept current by `onWorkOrderChanged` (fired by
 * submitWorkOrder and assignWorkOrder). The subscription opens before the list is read so no
 * change falls between the two; it ends with the component or when the organization changes.
 */
export const useWorkOrders = (
  organizationId: string,
): WorkOrdersState & { upsert: (workOrder: WorkOrder) => void } => {
  const [state, setState] = useState<WorkOrdersState>(initialState);

  useEffect(() => {
    let current = true;
    setState(initialState);

    const stopListening = Hub.listen('api', ({ payload }) => {
      if (!current || payload.event !== CONNECTION_STATE_CHANGE) return;
      const { connectionState } = payload.data as { connectionState: ConnectionState };
      const live = liveStateOf(connectionState);
      if (live !== undefined) setState((s) => (s.live === 'failed' ? s : { ...s, live }));
    });

    const subscription = client.subscriptions.onWorkOrderChanged({ organizationId }).subscribe({
      next: (changed) => {
        if (!current || changed === null || changed === undefined) return;
        // The server filters by organization; this guards against a stale socket after a switch.
        if (changed.organizationId !== organizationId) return;
        setState((s) => ({ ...s, items: mergeWorkOrder(s.items, changed) }));
      },
      error: (err: unknown) => {
        if (current) setState((s) => ({ ...s, live: 'failed', liveError: errorMessage(err) }));
      },
    });

    client.models.WorkOrder.workOrdersByOrganization(
      { organizationId },
      { sortDirection: 'DESC', limit: WORK_ORDER_PAGE_SIZE },
    ).then(
      ({ data, errors }) => {
        if (!current) return;
        const rows: WorkOrder[] = data ?? [];
        const failed = errors !== undefined && errors.length > 0;
        setState((s) => {
          // Rows that arrived live while the list was loading are kept (merge is by id).
          const items = rows.reduce(mergeWorkOrder, s.items);
          return {
            ...s,
            items,
            status: failed && rows.length === 0 ? 'error' : 'ready',
            error: failed ? errorMessage(errors) : null,
          };
        });
      },
      (err: unknown) => {
        if (current) setState((s) => ({ ...s, status: 'error', error: errorMessage(err) }));
      },
    );

    return () => {
      current = false;
      stopListening();
      subscription.unsubscribe();
    };
  }, [organizationId]);

  const upsert = useCallback((workOrder: WorkOrder) => {
    setState((s) => ({ ...s, items: mergeWorkOrder(s.items, workOrder) }));
  }, []);

  return { ...state, upsert };
};

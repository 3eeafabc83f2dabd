import { useCallback, useEffect, useRef, useState } from 'react';
import type { Category, Priority, WorkOrderStatus } from '../../../core/work-orders/vocabulary';
import { client, type Schema } from '../../lib/amplify-client';
import { errorMessage } from '../../lib/graphql-errors';
import { listenToLiveState, type LiveState } from '../../lib/realtime-state';

export type { LiveState };

/** A work order as the list and the live updates deliver it. */
export type WorkOrder = Schema['WorkOrder']['type'];

/** How many work orders the list asks for (newest first). */
export const WORK_ORDER_PAGE_SIZE = 50;
/**
 * A filter is applied after the index read's limit, so a page can come back short (even empty)
 * while more matches exist further down: one read follows the next token up to this many pages
 * to fill a page, then offers "Load more" instead of claiming nothing matches.
 */
const MAX_PAGES_PER_READ = 8;

/** The list of one organization's work orders and the state of its live updates. */
export type WorkOrdersState = {
  items: WorkOrder[];
  status: 'loading' | 'ready' | 'error';
  /** Why loading failed, or what the server refused while still returning some rows. */
  error: string | null;
  /** Whether changes made elsewhere arrive; after `failed` only a reload or a switch retries. */
  live: LiveState;
  liveError: string | null;
  /** Where the next older page starts; null when everything has been read. */
  nextToken: string | null;
  loadingMore: boolean;
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

/** Which work orders a list shows: an organization's (narrowed by filters) or one assignee's. */
export type WorkOrderSource =
  | { kind: 'organization'; organizationId: string; filters?: WorkOrderFilters }
  | { kind: 'assignee'; organizationId: string; assigneeId: string };

/** The filters of the work-order page; absent fields do not narrow. */
export type WorkOrderFilters = {
  status?: WorkOrderStatus;
  priority?: Priority;
  category?: Category;
  /** Part of the title, any case. */
  search?: string;
};

/** Whether a work order belongs in a list of this source (applied to live events). */
export const matchesSource = (source: WorkOrderSource, workOrder: WorkOrder): boolean => {
  if (workOrder.organizationId !== source.organizationId) return false;
  if (source.kind === 'assignee') return workOrder.assigneeId === source.assigneeId;
  const { status, priority, category, search } = source.filters ?? {};
  const needle = search?.trim().toLowerCase() ?? '';
  return (
    (status === undefined || workOrder.status === status) &&
    (priority === undefined || workOrder.priority === priority) &&
    (category === undefined || workOrder.category === category) &&
    (needle === '' || (workOrder.titleLower ?? workOrder.title.toLowerCase()).includes(needle))
  );
};

/** Inserts, replaces or (when it no longer matches) removes one work order. */
export const applyChange = (
  items: readonly WorkOrder[],
  changed: WorkOrder,
  matches: (workOrder: WorkOrder) => boolean,
): WorkOrder[] => {
  const existing = items.find((item) => item.id === changed.id);
  if (existing !== undefined && existing.version > changed.version) return [...items];
  if (!matches(changed)) return items.filter((item) => item.id !== changed.id);
  return mergeWorkOrder(items, changed);
};

type WorkOrderFilterInput = NonNullable<
  NonNullable<Parameters<typeof client.models.WorkOrder.workOrdersByOrganization>[1]>['filter']
>;

const serverFilter = (filters: WorkOrderFilters): WorkOrderFilterInput | undefined => {
  const parts: WorkOrderFilterInput[] = [];
  if (filters.priority !== undefined) parts.push({ priority: { eq: filters.priority } });
  if (filters.category !== undefined) parts.push({ category: { eq: filters.category } });
  const needle = filters.search?.trim().toLowerCase() ?? '';
  if (needle !== '') parts.push({ titleLower: { contains: needle } });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
};

/** Reads one page of a source with the narrowest index that serves it. */
const fetchSource = (source: WorkOrderSource, nextToken: string | null) => {
  const options = {
    sortDirection: 'DESC' as const,
    limit: WORK_ORDER_PAGE_SIZE,
    ...(nextToken !== null ? { nextToken } : {}),
  };
  if (source.kind === 'assignee') {
    return client.models.WorkOrder.workOrdersByAssignee({ assigneeId: source.assigneeId }, options);
  }
  const filters = source.filters ?? {};
  const filter = serverFilter(filters);
  if (filters.status !== undefined) {
    // The sort key is `status#createdAt`: beginsWith on the status alone selects one column.
    return client.models.WorkOrder.workOrdersByOrganizationAndStatus(
      {
        organizationId: source.organizationId,
        statusCreatedAt: { beginsWith: { status: filters.status } },
      },
      { ...options, filter },
    );
  }
  return client.models.WorkOrder.workOrdersByOrganization(
    { organizationId: source.organizationId },
    { ...options, filter },
  );
};

/** Rows read, the token to continue from, and the errors the server reported on the way. */
type PageRead = { rows: WorkOrder[]; nextToken: string | null; errors: unknown[] };

/**
 * Reads from `startToken` until a page's worth of rows match, the index is exhausted or
 * MAX_PAGES_PER_READ pages were read. `read` is the page fetch (a port, for tests).
 */
export async function readMatching(
  read: (nextToken: string | null) => Promise<{
    data?: WorkOrder[] | null;
    nextToken?: string | null;
    errors?: readonly unknown[];
  }>,
  matches: (workOrder: WorkOrder) => boolean,
  startToken: string | null,
): Promise<PageRead> {
  const result: PageRead = { rows: [], nextToken: startToken, errors: [] };
  for (let page = 0; page < MAX_PAGES_PER_READ; page += 1) {
    const { data, nextToken, errors } = await read(result.nextToken);
    result.rows.push(...(data ?? []).filter(matches));
    result.errors.push(...(errors ?? []));
    result.nextToken = nextToken ?? null;
    if (result.nextToken === null || result.rows.length >= WORK_ORDER_PAGE_SIZE) break;
    if (errors !== undefined && errors.length > 0) break;
  }
  return result;
}

/** A stable string for a source, so effects rerun only when what is asked for changes. */
const sourceKey = (source: WorkOrderSource): string => JSON.stringify(source);

const initialState: WorkOrdersState = {
  items: [],
  status: 'loading',
  error: null,
  live: 'connecting',
  liveError: null,
  nextToken: null,
  loadingMore: false,
};

/**
 * The newest work orders of a source, kept current by `onWorkOrderChanged` (fired by
 * submitWorkOrder, assignWorkOrder and transitionWorkOrder). The subscription opens before the
 * list is read so no change falls between the two; it ends with the component or the source.
 */
export const useWorkOrders = (
  source: WorkOrderSource,
): WorkOrdersState & { upsert: (workOrder: WorkOrder) => void; loadMore: () => void } => {
  const [state, setState] = useState<WorkOrdersState>(initialState);
  const key = sourceKey(source);
  /** Whether the source a read started for is still the one shown. */
  const activeRead = useRef<() => boolean>(() => false);

  useEffect(() => {
    const current: WorkOrderSource = JSON.parse(key) as WorkOrderSource;
    const { organizationId } = current;
    const matches = (workOrder: WorkOrder) => matchesSource(current, workOrder);
    let active = true;
    setState(initialState);

    const stopListening = listenToLiveState((live) => {
      if (active) setState((s) => (s.live === 'failed' ? s : { ...s, live }));
    });

    const subscription = client.subscriptions.onWorkOrderChanged({ organizationId }).subscribe({
      next: (changed) => {
        if (!active || changed === null || changed === undefined) return;
        // The server filters by organization; this guards against a stale socket after a switch.
        if (changed.organizationId !== organizationId) return;
        setState((s) => ({ ...s, items: applyChange(s.items, changed, matches) }));
      },
      error: (err: unknown) => {
        if (active) setState((s) => ({ ...s, live: 'failed', liveError: errorMessage(err) }));
      },
    });

    readMatching((token) => fetchSource(current, token), matches, null).then(
      ({ rows, nextToken, errors }) => {
        if (!active) return;
        const failed = errors.length > 0;
        setState((s) => {
          // Rows that arrived live while the list was loading are kept (merge is by id).
          const items = rows.reduce(mergeWorkOrder, s.items);
          return {
            ...s,
            items,
            nextToken,
            status: failed && rows.length === 0 ? 'error' : 'ready',
            error: failed ? errorMessage(errors) : null,
          };
        });
      },
      (err: unknown) => {
        if (active) setState((s) => ({ ...s, status: 'error', error: errorMessage(err) }));
      },
    );
    activeRead.current = () => active;

    return () => {
      active = false;
      stopListening();
      subscription.unsubscribe();
    };
  }, [key]);

  const upsert = useCallback(
    (workOrder: WorkOrder) => {
      const current = JSON.parse(key) as WorkOrderSource;
      setState((s) => ({
        ...s,
        items: applyChange(s.items, workOrder, (w) => matchesSource(current, w)),
      }));
    },
    [key],
  );

  const { nextToken, loadingMore } = state;
  const loadMore = useCallback(() => {
    if (nextToken === null || loadingMore) return;
    const current = JSON.parse(key) as WorkOrderSource;
    const stillShown = activeRead.current;
    setState((s) => ({ ...s, loadingMore: true }));
    readMatching(
      (token) => fetchSource(current, token),
      (w) => matchesSource(current, w),
      nextToken,
    ).then(
      ({ rows, nextToken: next, errors }) => {
        if (!stillShown()) return;
        setState((s) => ({
          ...s,
          items: rows.reduce(mergeWorkOrder, s.items),
          nextToken: next,
          loadingMore: false,
          error: errors.length > 0 ? errorMessage(errors) : null,
        }));
      },
      (err: unknown) => {
        if (stillShown()) setState((s) => ({ ...s, loadingMore: false, error: errorMessage(err) }));
      },
    );
  }, [key, nextToken, loadingMore]);

  return { ...state, upsert, loadMore };
};

import { useCallback, useState } from 'react';
import type { Category, Priority, WorkOrderStatus } from '../../../core/work-orders/vocabulary';
import { client, type Schema } from '../../lib/amplify-client';
import { errorMessage } from '../../lib/graphql-errors';
import type { LiveState } from '../../lib/realtime-state';
import { PartialRead, useLiveQuery } from '../../lib/use-live-query';
import { refreshById, upsertById } from '../../lib/versions';

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

/** Inserts or replaces one work order by id (the higher version wins), newest first. */
export const mergeWorkOrder = (items: readonly WorkOrder[], changed: WorkOrder): WorkOrder[] =>
  upsertById(items, changed, newestFirst);

/** The work orders a list shows and where the next older page starts (null: all were read). */
export type WorkOrderPage = { items: WorkOrder[]; nextToken: string | null };

/**
 * A fresh read of the newest page combined with the list shown (after a reconnect): the fresh
 * rows replace those of the range they cover (higher versions kept), while older pages the
 * person already loaded stay, and so does the token that continues after them.
 */
export const reconcileWorkOrders = (shown: WorkOrderPage, fresh: WorkOrderPage): WorkOrderPage => {
  const items = refreshById(shown.items, fresh.items);
  if (fresh.nextToken === null) return { items, nextToken: null };
  const oldest = fresh.items.at(-1);
  const freshIds = new Set(fresh.items.map((item) => item.id));
  const older = shown.items.filter(
    (item) => !freshIds.has(item.id) && (oldest === undefined || newestFirst(oldest, item) < 0),
  );
  if (older.length === 0) return { items, nextToken: fresh.nextToken };
  return { items: [...items, ...older].sort(newestFirst), nextToken: shown.nextToken };
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

/** A stable string for a source, so a list restarts only when what is asked for changes. */
const sourceKey = (source: WorkOrderSource): string => JSON.stringify(source);

/**
 * The newest work orders of a source, kept current by `onWorkOrderChanged` (fired by
 * submitWorkOrder, assignWorkOrder and transitionWorkOrder) and read again after a reconnect;
 * `loadMore` appends the next older page, `upsert` takes a mutation's answer.
 */
export const useWorkOrders = (
  source: WorkOrderSource,
): WorkOrdersState & { upsert: (workOrder: WorkOrder) => void; loadMore: () => void } => {
  const key = sourceKey(source);
  const matches = (workOrder: WorkOrder) => matchesSource(source, workOrder);
  const query = useLiveQuery<WorkOrderPage, WorkOrder | null | undefined>({
    key,
    read: async () => {
      const read = await readMatching((token) => fetchSource(source, token), matches, null);
      const page = { items: read.rows, nextToken: read.nextToken };
      if (read.errors.length === 0) return page;
      if (read.rows.length === 0) throw new Error(errorMessage(read.errors));
      throw new PartialRead(page, read.errors);
    },
    subscribe: (observer) =>
      client.subscriptions
        .onWorkOrderChanged({ organizationId: source.organizationId })
        .subscribe(observer),
    // The server filters by organization; the check guards against a stale socket after a switch.
    apply: (page, changed) =>
      changed === null || changed === undefined || changed.organizationId !== source.organizationId
        ? page
        : { ...page, items: applyChange(page.items, changed, matches) },
    reconcile: reconcileWorkOrders,
  });

  const { update } = query;
  const nextToken = query.data?.nextToken ?? null;
  const [more, setMore] = useState({ key, loading: false, error: null as string | null });
  const loadingMore = more.key === key && more.loading;

  const loadMore = useCallback(() => {
    if (nextToken === null || loadingMore) return;
    const current = JSON.parse(key) as WorkOrderSource;
    const settle = (error: string | null) =>
      setMore((m) => (m.key === key ? { key, loading: false, error } : m));
    setMore({ key, loading: true, error: null });
    readMatching(
      (token) => fetchSource(current, token),
      (workOrder) => matchesSource(current, workOrder),
      nextToken,
    ).then(
      ({ rows, nextToken: next, errors }) => {
        update((page) => ({ items: rows.reduce(mergeWorkOrder, page.items), nextToken: next }));
        settle(errors.length > 0 ? errorMessage(errors) : null);
      },
      (err: unknown) => settle(errorMessage(err)),
    );
  }, [key, nextToken, loadingMore, update]);

  const upsert = useCallback(
    (workOrder: WorkOrder) => {
      const current = JSON.parse(key) as WorkOrderSource;
      update((page) => ({
        ...page,
        items: applyChange(page.items, workOrder, (w) => matchesSource(current, w)),
      }));
    },
    [key, update],
  );

  return {
    items: query.data?.items ?? [],
    status: query.status,
    error: (more.key === key ? more.error : null) ?? query.error,
    live: query.live,
    liveError: query.liveError,
    nextToken,
    loadingMore,
    upsert,
    loadMore,
  };
};

import { client } from '../../lib/amplify-client';
import { throwOnErrors } from '../../lib/graphql-errors';
import { RELOAD, useLiveQuery, type LiveQueryResult } from '../../lib/use-live-query';
import { fetchInventory, type InventoryItem } from '../inventory/use-inventory';
import type { WorkOrder } from '../work-orders/use-work-orders';

/** What the dashboard is drawn from, read once and again on any work-order change. */
export type DashboardData = {
  workOrders: WorkOrder[];
  overdue: WorkOrder[];
  items: InventoryItem[];
  /** When the data was read: the "now" of overdue and of this week. */
  at: Date;
};

const PAGE = 200;
/** A small organization's history fits in a few pages; beyond that the figures are a sample. */
const MAX_PAGES = 10;
/** Several changes in a burst (a triage session) reload the figures once. */
const RELOAD_DEBOUNCE_MS = 1_000;

const fetchWorkOrders = async (organizationId: string): Promise<WorkOrder[]> => {
  const all: WorkOrder[] = [];
  let nextToken: string | null | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await client.models.WorkOrder.workOrdersByOrganization(
      { organizationId },
      { sortDirection: 'DESC', limit: PAGE, nextToken },
    );
    throwOnErrors(result.errors);
    all.push(...result.data);
    nextToken = result.nextToken;
    if (!nextToken) break;
  }
  return all;
};

/** Pages of PAGE: each item's owner field has a resolver, and the API allows 800 a request. */
const fetchOverdue = async (organizationId: string, now: Date): Promise<WorkOrder[]> => {
  const all: WorkOrder[] = [];
  let nextToken: string | null | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await client.models.WorkOrder.openWorkOrdersByDueDate(
      { organizationId, openDueAt: { lt: now.toISOString() } },
      { limit: PAGE, nextToken },
    );
    throwOnErrors(result.errors);
    all.push(...result.data);
    nextToken = result.nextToken;
    if (!nextToken) break;
  }
  return all;
};

const fetchDashboard = async (organizationId: string): Promise<DashboardData> => {
  const at = new Date();
  const [workOrders, overdue, items] = await Promise.all([
    fetchWorkOrders(organizationId),
    fetchOverdue(organizationId, at),
    fetchInventory(organizationId),
  ]);
  return { workOrders, overdue, items, at };
};

/**
 * Reads work orders, overdue work and stock for the dashboard, and again (once per burst) after
 * any work-order change; `reload` reads them again. A failed re-read keeps the figures shown.
 */
export const useDashboard = (organizationId: string): LiveQueryResult<DashboardData> =>
  useLiveQuery<DashboardData, unknown>({
    key: organizationId,
    read: () => fetchDashboard(organizationId),
    subscribe: (observer) =>
      client.subscriptions.onWorkOrderChanged({ organizationId }).subscribe(observer),
    apply: () => RELOAD,
    reloadDebounceMs: RELOAD_DEBOUNCE_MS,
  });

import { useCallback, useEffect, useState } from 'react';
import { client } from '../../lib/amplify-client';
import { errorMessage, throwOnErrors } from '../../lib/graphql-errors';
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

/** The dashboard's data and the state of reading it. */
export type DashboardState =
  | { status: 'loading' }
  | { status: 'error'; error: string; data?: DashboardData }
  | { status: 'ready'; data: DashboardData };

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

/** Reads work orders, overdue work and stock for the dashboard; `reload` reads them again. */
export const useDashboard = (organizationId: string): DashboardState & { reload: () => void } => {
  const [state, setState] = useState<DashboardState>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let active = true;
    const at = new Date();
    Promise.all([
      fetchWorkOrders(organizationId),
      fetchOverdue(organizationId, at),
      fetchInventory(organizationId),
    ]).then(
      ([workOrders, overdue, items]) =>
        active && setState({ status: 'ready', data: { workOrders, overdue, items, at } }),
      (err: unknown) =>
        active &&
        setState((s) => ({
          status: 'error',
          error: errorMessage(err),
          ...(s.status === 'ready' ? { data: s.data } : {}),
        })),
    );
    return () => {
      active = false;
    };
  }, [organizationId, generation]);

  useEffect(() => {
    let timer: number | undefined;
    const subscription = client.subscriptions.onWorkOrderChanged({ organizationId }).subscribe({
      next: () => {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => setGeneration((g) => g + 1), RELOAD_DEBOUNCE_MS);
      },
      // The figures still load; they are just not refreshed live.
      error: () => undefined,
    });
    return () => {
      window.clearTimeout(timer);
      subscription.unsubscribe();
    };
  }, [organizationId]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
};

import { useCallback } from 'react';
import { client, type Schema } from '../../lib/amplify-client';
import { throwOnErrors } from '../../lib/graphql-errors';
import { RELOAD, useLiveQuery } from '../../lib/use-live-query';
import { upsertById } from '../../lib/versions';
import type { AdjustmentReason } from './stock';

/** A stock item as `inventoryByOrganization` returns it. */
export type InventoryItem = Schema['InventoryItem']['type'];

/** One ledger entry of an item or a work order. */
export type InventoryAdjustment = Schema['InventoryAdjustment']['type'];

/** Small organizations keep tens of items; one page of this many is the whole store room. */
const ITEM_LIMIT = 500;
const LEDGER_LIMIT = 200;

/** Reads an organization's items ordered by SKU. */
export const fetchInventory = async (organizationId: string): Promise<InventoryItem[]> => {
  const { data, errors } = await client.models.InventoryItem.inventoryByOrganization(
    { organizationId },
    { limit: ITEM_LIMIT },
  );
  throwOnErrors(errors);
  return data;
};

/** The items of an organization, with a `reload` and a `replace` for a mutation's answer. */
export type InventoryState = {
  status: 'loading' | 'ready' | 'error';
  items: InventoryItem[];
  error: string | null;
};

const bySku = (a: InventoryItem, b: InventoryItem): number => a.sku.localeCompare(b.sku);

/**
 * Folds an `onInventoryChanged` event into the items shown. A subscriber receives the fields the
 * mutating client selected: what arrived is merged onto the item shown (unless older), and an
 * item this page has never seen asks for a fresh read.
 */
export const applyInventoryChange = (
  items: readonly InventoryItem[],
  changed: Partial<InventoryItem> & Pick<InventoryItem, 'id' | 'version'>,
): InventoryItem[] | typeof RELOAD => {
  const current = items.find((item) => item.id === changed.id);
  if (current === undefined) return RELOAD;
  if (current.version > changed.version) return [...items];
  const arrived = Object.fromEntries(
    Object.entries(changed).filter(([, value]) => value !== null && value !== undefined),
  );
  return items.map((item) => (item.id === changed.id ? { ...item, ...arrived } : item));
};

/**
 * An organization's stock: read on mount, then kept current by `onInventoryChanged`, which every
 * create, update and adjustment publishes (an item is replaced only by a newer version).
 */
export const useInventory = (
  organizationId: string,
): InventoryState & { reload: () => void; replace: (item: InventoryItem) => void } => {
  const query = useLiveQuery<InventoryItem[], InventoryItem>({
    key: organizationId,
    read: () => fetchInventory(organizationId),
    subscribe: (observer) =>
      client.subscriptions.onInventoryChanged({ organizationId }).subscribe(observer),
    apply: applyInventoryChange,
  });
  const { reload: read, update } = query;
  const reload = useCallback(() => void read(), [read]);
  const replace = useCallback(
    (item: InventoryItem) => update((items) => upsertById(items, item, bySku)),
    [update],
  );
  return {
    status: query.status,
    items: query.data ?? [],
    error: query.error,
    reload,
    replace,
  };
};

/** The ledger of one item or one work order, newest first; `reload` reads it again. */
export const useAdjustments = (
  by: { itemId: string } | { workOrderId: string },
): {
  status: 'loading' | 'ready' | 'error';
  entries: InventoryAdjustment[];
  error: string | null;
  reload: () => void;
} => {
  const options = { sortDirection: 'DESC' as const, limit: LEDGER_LIMIT };
  const query = useLiveQuery<InventoryAdjustment[]>({
    key: 'itemId' in by ? `item:${by.itemId}` : `workOrder:${by.workOrderId}`,
    read: async () => {
      const { data, errors } =
        'itemId' in by
          ? await client.models.InventoryAdjustment.adjustmentsByItem(
              { itemId: by.itemId },
              options,
            )
          : await client.models.InventoryAdjustment.adjustmentsByWorkOrder(
              { workOrderId: by.workOrderId },
              options,
            );
      throwOnErrors(errors);
      return data;
    },
  });
  const { reload: read } = query;
  const reload = useCallback(() => void read(), [read]);
  return { status: query.status, entries: query.data ?? [], error: query.error, reload };
};

/** Calls adjustInventory and returns the item as the server left it. */
export const adjustInventory = async (input: {
  itemId: string;
  delta: number;
  reason: AdjustmentReason;
  workOrderId?: string;
  note?: string;
}): Promise<InventoryItem> => {
  const { data, errors } = await client.mutations.adjustInventory(input);
  throwOnErrors(errors);
  if (data === null || data === undefined) throw new Error('The server returned no item.');
  return data;
};

/**
 * Calls updateInventoryItem with the version the person started from; a CONFLICT (someone
 * changed the item meanwhile) reaches the caller as a GraphQL error of that type.
 */
export const updateInventoryItem = async (input: {
  id: string;
  expectedVersion: number;
  name?: string;
  unit?: string;
  minQuantity?: number;
  unitCost?: number | null;
  storageLocation?: string | null;
}): Promise<InventoryItem> => {
  const { data, errors } = await client.mutations.updateInventoryItem(input);
  throwOnErrors(errors);
  if (data === null || data === undefined) throw new Error('The server returned no item.');
  return data;
};

/** Reads one item as it is now (after a CONFLICT), or null when it is gone. */
export const fetchInventoryItem = async (id: string): Promise<InventoryItem | null> => {
  const { data, errors } = await client.models.InventoryItem.get({ id });
  throwOnErrors(errors);
  return data ?? null;
};

/**
 * The numbers of the work orders a ledger mentions, by id, read once per set of ids. A work
 * order that cannot be read is left out (its entry links without a number).
 */
export const useWorkOrderNumbers = (
  workOrderIds: readonly string[],
): ReadonlyMap<string, number> => {
  const ids = [...new Set(workOrderIds)].sort();
  const query = useLiveQuery<ReadonlyMap<string, number>>({
    key: `work-order-numbers:${ids.join(',')}`,
    read: async () => {
      const found = await Promise.all(
        ids.map(async (id) => {
          const { data } = await client.models.WorkOrder.get(
            { id },
            { selectionSet: ['id', 'number'] },
          );
          return data ? ([id, data.number] as const) : undefined;
        }),
      );
      return new Map(found.filter((entry) => entry !== undefined));
    },
  });
  return query.data ?? EMPTY_NUMBERS;
};

const EMPTY_NUMBERS: ReadonlyMap<string, number> = new Map();

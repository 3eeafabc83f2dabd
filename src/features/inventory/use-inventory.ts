import { useCallback, useEffect, useState } from 'react';
import { client, type Schema } from '../../lib/amplify-client';
import { errorMessage, throwOnErrors } from '../../lib/graphql-errors';
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

/**
 * An organization's stock: read on mount, then kept current by `onInventoryChanged`, which every
 * create, update and adjustment publishes (an item is replaced only by a newer version).
 */
export const useInventory = (
  organizationId: string,
): InventoryState & { reload: () => void; replace: (item: InventoryItem) => void } => {
  const [state, setState] = useState<InventoryState>({ status: 'loading', items: [], error: null });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let active = true;
    fetchInventory(organizationId).then(
      (items) => active && setState({ status: 'ready', items, error: null }),
      (err: unknown) =>
        active && setState((s) => ({ ...s, status: 'error', error: errorMessage(err) })),
    );
    return () => {
      active = false;
    };
  }, [organizationId, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const replace = useCallback((item: InventoryItem) => {
    setState((s) => {
      const current = s.items.find((i) => i.id === item.id);
      if (current !== undefined && current.version > item.version) return s;
      const items = current
        ? s.items.map((i) => (i.id === item.id ? item : i))
        : [...s.items, item];
      return { ...s, items: items.sort((a, b) => a.sku.localeCompare(b.sku)) };
    });
  }, []);

  useEffect(() => {
    const subscription = client.subscriptions.onInventoryChanged({ organizationId }).subscribe({
      // A subscriber receives the fields the mutating client selected: merge what arrived onto
      // the item shown, and read the list again for an item this page has never seen.
      next: (item) =>
        setState((s) => {
          const current = s.items.find((i) => i.id === item.id);
          if (current === undefined) {
            reload();
            return s;
          }
          if (current.version > item.version) return s;
          const arrived = Object.fromEntries(
            Object.entries(item).filter(([, value]) => value !== null && value !== undefined),
          );
          return { ...s, items: s.items.map((i) => (i.id === item.id ? { ...i, ...arrived } : i)) };
        }),
      // The list stays usable; a reload still brings it up to date.
      error: () => undefined,
    });
    return () => subscription.unsubscribe();
  }, [organizationId, reload]);

  return { ...state, reload, replace };
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
  const [state, setState] = useState<{
    status: 'loading' | 'ready' | 'error';
    entries: InventoryAdjustment[];
    error: string | null;
  }>({
    status: 'loading',
    entries: [],
    error: null,
  });
  const [generation, setGeneration] = useState(0);
  const key = 'itemId' in by ? `item:${by.itemId}` : `workOrder:${by.workOrderId}`;

  useEffect(() => {
    let active = true;
    const [kind, id = ''] = key.split(':');
    const options = { sortDirection: 'DESC' as const, limit: LEDGER_LIMIT };
    const request =
      kind === 'item'
        ? client.models.InventoryAdjustment.adjustmentsByItem({ itemId: id }, options)
        : client.models.InventoryAdjustment.adjustmentsByWorkOrder({ workOrderId: id }, options);
    request.then(
      ({ data, errors }) => {
        if (!active) return;
        if (errors !== undefined && errors.length > 0) {
          setState({ status: 'error', entries: data ?? [], error: errorMessage(errors) });
        } else setState({ status: 'ready', entries: data, error: null });
      },
      (err: unknown) =>
        active && setState((s) => ({ ...s, status: 'error', error: errorMessage(err) })),
    );
    return () => {
      active = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
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

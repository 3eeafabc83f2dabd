import { DomainError } from '../errors';
import { requireActiveMember } from '../organizations/membership-checks';
import { assertCan } from '../organizations/permissions';
import type { Caller, Clock, InventoryStore, MembershipStore } from '../ports';
import type { InventoryItemRecord } from '../records';
import { parseUpdateInventoryItem } from './validation';

const stale = (id: string) =>
  new DomainError('CONFLICT', `Inventory item ${id} was changed by someone else.`, {
    field: 'expectedVersion',
    resolution: 'Reload the item and try again.',
  });

/** Sets or clears (null) an optional field; leaves it when the argument was absent. */
function patched<K extends 'reorderQuantity' | 'unitCost' | 'storageLocation'>(
  item: InventoryItemRecord,
  key: K,
  value: InventoryItemRecord[K] | null | undefined,
): InventoryItemRecord {
  if (value === undefined) return item;
  const { [key]: _previous, ...rest } = item;
  // The spread drops the key's type link; both branches are whole items by construction.
  return (value === null || value === '' ? rest : { ...rest, [key]: value }) as InventoryItemRecord;
}

/**
 * `updateInventoryItem`: a MANAGER or above changes an item's description and thresholds (not
 * its quantity: that is `adjustInventory`, which keeps the ledger), conditioned on its version.
 */
export async function updateInventoryItem(
  deps: { clock: Clock; memberships: MembershipStore; inventory: InventoryStore },
  caller: Caller,
  args: unknown,
): Promise<InventoryItemRecord> {
  const input = parseUpdateInventoryItem(args);
  const item = await deps.inventory.get(input.id);
  const hide = { what: 'Inventory item', id: input.id };
  if (!item) throw new DomainError('NOT_FOUND', `Inventory item ${input.id} was not found.`);
  const member = await requireActiveMember(
    deps.memberships,
    item.organizationId,
    caller.userId,
    hide,
  );
  assertCan(member.role, 'inventory.adjust');
  if (input.expectedVersion !== item.version) throw stale(item.id);
  const at = deps.clock.now().toISOString();
  let next: InventoryItemRecord = {
    ...item,
    ...(input.name ? { name: input.name } : {}),
    ...(input.unit ? { unit: input.unit } : {}),
    ...(input.minQuantity !== undefined ? { minQuantity: input.minQuantity } : {}),
    version: item.version + 1,
    updatedBy: caller.userId,
    updatedAt: at,
  };
  next = patched(next, 'reorderQuantity', input.reorderQuantity);
  next = patched(next, 'unitCost', input.unitCost);
  next = patched(next, 'storageLocation', input.storageLocation);
  const outcome = await deps.inventory.replace({ next, expectedVersion: item.version });
  if (outcome !== 'UPDATED') throw stale(item.id);
  return next;
}

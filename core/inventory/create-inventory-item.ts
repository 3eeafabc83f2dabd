import { DomainError } from '../errors';
import { requireActiveMember } from '../organizations/membership-checks';
import { assertCan } from '../organizations/permissions';
import type { Caller, Clock, IdGenerator, InventoryStore, MembershipStore } from '../ports';
import type { InventoryItemRecord } from '../records';
import { parseCreateInventoryItem } from './validation';

/** `createInventoryItem`: a MANAGER or above adds an item; its SKU is unique in the organization. */
export async function createInventoryItem(
  deps: { clock: Clock; ids: IdGenerator; memberships: MembershipStore; inventory: InventoryStore },
  caller: Caller,
  args: unknown,
): Promise<InventoryItemRecord> {
  const input = parseCreateInventoryItem(args);
  const member = await requireActiveMember(deps.memberships, input.organizationId, caller.userId);
  assertCan(member.role, 'inventory.adjust');
  const at = deps.clock.now().toISOString();
  const item: InventoryItemRecord = {
    id: deps.ids.uuid(),
    organizationId: input.organizationId,
    sku: input.sku,
    name: input.name,
    unit: input.unit,
    quantity: input.quantity,
    minQuantity: input.minQuantity,
    ...(input.reorderQuantity !== undefined ? { reorderQuantity: input.reorderQuantity } : {}),
    ...(input.unitCost !== undefined ? { unitCost: input.unitCost } : {}),
    ...(input.storageLocation ? { storageLocation: input.storageLocation } : {}),
    version: 1,
    updatedBy: caller.userId,
    createdAt: at,
    updatedAt: at,
  };
  const outcome = await deps.inventory.create(item);
  if (outcome === 'SKU_TAKEN') {
    throw new DomainError('CONFLICT', `SKU ${input.sku} is already used in this organization.`, {
      field: 'sku',
      resolution: 'Choose another SKU, or adjust the existing item.',
    });
  }
  return item;
}

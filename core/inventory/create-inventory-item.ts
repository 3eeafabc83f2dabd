import { DomainError } from '../errors';
import { requireActiveMember } from '../organizations/membership-checks';
import { assertCan } from '../organizations/permissions';
import type { Caller, Clock, IdGenerator, InventoryStore, MembershipStore } from '../ports';
import type { InventoryItemRecord } from '../records';
import { itemCodeCandidates } from './item-code';
import { parseCreateInventoryItem } from './validation';

/**
 * `createInventoryItem`: a MANAGER or above adds an item; its code (`sku`) is unique in the
 * organization. A blank code is made from the name ("FURNACE-FILTER", then "FURNACE-FILTER-2",
 * …): each candidate is claimed by the store exactly as a typed code is, so a taken one (by an
 * earlier item or a simultaneous creation) moves on to the next and uniqueness still holds.
 */
export async function createInventoryItem(
  deps: { clock: Clock; ids: IdGenerator; memberships: MembershipStore; inventory: InventoryStore },
  caller: Caller,
  args: unknown,
): Promise<InventoryItemRecord> {
  const input = parseCreateInventoryItem(args);
  const member = await requireActiveMember(deps.memberships, input.organizationId, caller.userId);
  assertCan(member.role, 'inventory.adjust');
  const at = deps.clock.now().toISOString();
  const id = deps.ids.uuid();
  const item = (sku: string): InventoryItemRecord => ({
    id,
    organizationId: input.organizationId,
    sku,
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
  });

  if (input.sku !== undefined) {
    const typed = item(input.sku);
    if ((await deps.inventory.create(typed)) === 'CREATED') return typed;
    throw new DomainError(
      'CONFLICT',
      `Item code ${input.sku} is already used in this organization.`,
      {
        field: 'sku',
        resolution:
          'Choose another code, leave it blank to have one made, or adjust the existing item.',
      },
    );
  }
  for (const sku of itemCodeCandidates(input.name, id)) {
    const generated = item(sku);
    if ((await deps.inventory.create(generated)) === 'CREATED') return generated;
  }
  throw new DomainError('CONFLICT', 'No free item code could be made from this name.', {
    field: 'sku',
    resolution: 'Type an item code, or try again.',
  });
}

import { DomainError } from '../errors';
import { requireActiveMember } from '../organizations/membership-checks';
import { assertCan } from '../organizations/permissions';
import { workOrderReadGroups } from '../organizations/roles';
import type {
  Caller,
  Clock,
  IdGenerator,
  InventoryStore,
  MembershipStore,
  WorkOrderStore,
} from '../ports';
import { memberName, type InventoryAdjustmentRecord, type InventoryItemRecord } from '../records';
import { ACTION_OF_REASON, quantityAfter } from './stock';
import { parseAdjustInventory } from './validation';

/**
 * How often an adjustment re-reads the item when another one changed it first. Each round one
 * contender wins, so this bounds how many simultaneous adjustments of one item all succeed.
 */
export const ADJUST_ATTEMPTS = 30;

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(attempt, 10)));

/**
 * `adjustInventory`: moves an item's stock (RECEIVE, CONSUME, ADJUST) or sets it (COUNT), and
 * writes the ledger entry in the same transaction, conditioned on the version read; a lost race
 * re-reads and recomputes, so no update is lost and the quantity never goes below zero.
 * TECHNICIANs and above may CONSUME, optionally for a work order of the same organization;
 * the rest needs a MANAGER or above.
 */
export async function adjustInventory(
  deps: {
    clock: Clock;
    ids: IdGenerator;
    memberships: MembershipStore;
    inventory: InventoryStore;
    workOrders: Pick<WorkOrderStore, 'get'>;
  },
  caller: Caller,
  args: unknown,
): Promise<InventoryItemRecord> {
  const input = parseAdjustInventory(args);
  if (input.workOrderId && input.reason !== 'CONSUME') {
    throw new DomainError(
      'VALIDATION',
      'workOrderId: only parts used (CONSUME) go on a work order.',
      {
        field: 'workOrderId',
        resolution: 'Leave workOrderId out, or record the parts used with reason CONSUME.',
      },
    );
  }
  const hide = { what: 'Inventory item', id: input.itemId };
  let item = await deps.inventory.get(input.itemId);
  if (!item) throw new DomainError('NOT_FOUND', `Inventory item ${input.itemId} was not found.`);
  const organizationId = item.organizationId;
  const member = await requireActiveMember(deps.memberships, organizationId, caller.userId, hide);
  assertCan(member.role, ACTION_OF_REASON[input.reason]);
  if (input.workOrderId) {
    const workOrder = await deps.workOrders.get(input.workOrderId);
    if (workOrder?.organizationId !== organizationId) {
      throw new DomainError('NOT_FOUND', `Work order ${input.workOrderId} was not found.`, {
        field: 'workOrderId',
        resolution: 'Choose a work order of the same organization as the item.',
      });
    }
  }
  for (let attempt = 1; ; attempt += 1) {
    const after = quantityAfter(input.reason, item.quantity, input.delta);
    const at = deps.clock.now().toISOString();
    const next: InventoryItemRecord = {
      ...item,
      quantity: after,
      ...(input.reason === 'COUNT' ? { lastCountedAt: at } : {}),
      version: item.version + 1,
      updatedBy: caller.userId,
      updatedAt: at,
    };
    const adjustment: InventoryAdjustmentRecord = {
      id: deps.ids.uuid(),
      organizationId,
      itemId: item.id,
      sku: item.sku,
      reason: input.reason,
      // The change actually made, so the ledger sums to the quantity (COUNT included).
      delta: after - item.quantity,
      quantityBefore: item.quantity,
      quantityAfter: after,
      ...(item.unitCost !== undefined ? { unitCost: item.unitCost } : {}),
      ...(input.workOrderId ? { workOrderId: input.workOrderId } : {}),
      ...(input.note ? { note: input.note } : {}),
      actorId: caller.userId,
      actorName: memberName(member),
      at,
      readGroups: workOrderReadGroups(organizationId),
      createdAt: at,
      updatedAt: at,
    };
    const outcome = await deps.inventory.replace({
      next,
      expectedVersion: item.version,
      adjustment,
    });
    if (outcome === 'UPDATED') return next;
    if (attempt >= ADJUST_ATTEMPTS) {
      throw new DomainError(
        'CONFLICT',
        `Inventory item ${item.id} is being changed by many people at once.`,
        {
          resolution: 'Try again in a moment.',
        },
      );
    }
    await pause(attempt);
    const reread = await deps.inventory.get(input.itemId);
    if (reread?.organizationId !== organizationId) {
      throw new DomainError('NOT_FOUND', `Inventory item ${input.itemId} was not found.`);
    }
    item = reread;
  }
}

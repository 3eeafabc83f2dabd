import { assertNever } from '../assert-never';
import { DomainError } from '../errors';
import { type Action, can } from '../organizations/permissions';
import type { Role } from '../organizations/roles';
import { ADJUSTMENT_REASONS, type AdjustmentReason } from '../records';

/** The permission each reason needs: technicians use parts, managers receive, adjust and count. */
export const ACTION_OF_REASON: Readonly<Record<AdjustmentReason, Action>> = {
  RECEIVE: 'inventory.adjust',
  CONSUME: 'inventory.use',
  ADJUST: 'inventory.adjust',
  COUNT: 'inventory.adjust',
};

/** The adjustment reasons a role may use, in ADJUSTMENT_REASONS order. */
export const adjustmentReasonsFor = (role: Role): AdjustmentReason[] =>
  ADJUSTMENT_REASONS.filter((reason) => can(role, ACTION_OF_REASON[reason]));

const invalidDelta = (message: string) =>
  new DomainError('VALIDATION', `delta: ${message}.`, {
    field: 'delta',
    resolution: 'Correct delta and try again.',
  });

/**
 * The quantity after an adjustment. RECEIVE adds a positive delta, CONSUME moves by a negative
 * one, ADJUST by any non-zero one, COUNT sets the quantity to delta (absolute). Throws
 * VALIDATION for a delta that does not fit the reason, INSUFFICIENT_STOCK below zero.
 */
export function quantityAfter(reason: AdjustmentReason, before: number, delta: number): number {
  let after: number;
  switch (reason) {
    case 'RECEIVE':
      if (delta <= 0) throw invalidDelta('a RECEIVE must be positive (the quantity received)');
      after = before + delta;
      break;
    case 'CONSUME':
      if (delta >= 0) throw invalidDelta('a CONSUME must be negative (minus the quantity used)');
      after = before + delta;
      break;
    case 'ADJUST':
      if (delta === 0) throw invalidDelta('an ADJUST must change the quantity');
      after = before + delta;
      break;
    case 'COUNT':
      if (delta < 0) throw invalidDelta('a COUNT is the quantity found, never negative');
      after = delta;
      break;
    default:
      return assertNever(reason);
  }
  if (after < 0) {
    throw new DomainError(
      'INSUFFICIENT_STOCK',
      `Only ${before} in stock; this would leave ${after}.`,
      { field: 'delta', resolution: 'Use at most what is in stock, or count the stock first.' },
    );
  }
  return after;
}

/** Whether an item at this quantity is at or below its minimum (low stock). */
export const isLowStock = (quantity: number, minQuantity: number): boolean =>
  quantity <= minQuantity;

import { isLowStock as isBelowMinimum } from '../../../core/inventory/stock';
import type { AdjustmentReason } from '../../../core/records';

export { ADJUSTMENT_REASONS, type AdjustmentReason } from '../../../core/records';

/** The fields of an item that decide whether it needs reordering. */
export type StockLevel = { quantity: number; minQuantity: number };

/** Whether an item is at or below its minimum (the threshold the notifier also uses). */
export const isLowStock = (item: StockLevel): boolean =>
  isBelowMinimum(item.quantity, item.minQuantity);

/**
 * The `delta` argument of adjustInventory for an amount a person typed: RECEIVE adds, CONSUME
 * takes away (people type how many they used, not a negative number), ADJUST is already signed,
 * COUNT is the absolute quantity found on the shelf.
 */
export const adjustmentDelta = (reason: AdjustmentReason, amount: number): number => {
  switch (reason) {
    case 'RECEIVE':
      return Math.abs(amount);
    case 'CONSUME':
      return -Math.abs(amount);
    case 'ADJUST':
    case 'COUNT':
      return amount;
    default: {
      const unknown: never = reason;
      return unknown;
    }
  }
};

/** Why an amount cannot be submitted for this reason, or null when it can. */
export const amountProblem = (reason: AdjustmentReason, raw: string): string | null => {
  const text = raw.trim();
  if (!/^-?\d+$/.test(text)) return 'Enter a whole number.';
  const amount = Number(text);
  if (reason === 'COUNT') return amount < 0 ? 'A count cannot be negative.' : null;
  if (amount === 0) return 'Enter a quantity other than zero.';
  if (reason !== 'ADJUST' && amount < 0) return 'Enter how many, without a sign.';
  return null;
};

/** The value of `quantity` units at `unitCost`, or undefined when the cost is unknown. */
export const costOf = (
  quantity: number,
  unitCost: number | null | undefined,
): number | undefined =>
  unitCost === null || unitCost === undefined
    ? undefined
    : Math.round(Math.abs(quantity) * unitCost * 100) / 100;

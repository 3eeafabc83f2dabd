import { describe, expect, it } from 'vitest';
import { RELOAD } from '../../lib/use-live-query';
import { applyInventoryChange, type InventoryItem } from './use-inventory';

const item = (id: string, version: number, quantity: number, name = id): InventoryItem =>
  ({ id, version, quantity, name, sku: id }) as unknown as InventoryItem;

describe('applyInventoryChange', () => {
  it('merges the fields that arrived onto the item shown', () => {
    const next = applyInventoryChange([item('a', 1, 5, 'Filter')], {
      id: 'a',
      version: 2,
      quantity: 4,
      name: null,
    } as unknown as InventoryItem);
    expect(next).toEqual([item('a', 2, 4, 'Filter')]);
  });

  it('ignores a change older than the item shown', () => {
    expect(applyInventoryChange([item('a', 3, 5)], item('a', 2, 9))).toEqual([item('a', 3, 5)]);
  });

  it('asks for a fresh read for an item never seen', () => {
    expect(applyInventoryChange([item('a', 1, 5)], item('b', 1, 1))).toBe(RELOAD);
  });
});

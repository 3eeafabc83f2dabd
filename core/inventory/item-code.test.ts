import { describe, expect, it } from 'vitest';
import {
  CODE_STEM_MAX,
  itemCodeCandidates,
  itemCodeStem,
  NUMBERED_CODE_ATTEMPTS,
} from './item-code';
import { parseCreateInventoryItem } from './validation';

describe('itemCodeStem', () => {
  it.each([
    ['Furnace filter', 'FURNACE-FILTER'],
    ['  furnace   filter  ', 'FURNACE-FILTER'],
    ['Furnace filter, 20×25', 'FURNACE-FILTER-20-25'],
    ['Crème brûlée torch', 'CREME-BRULEE-TORCH'],
    ['LED bulb A19 (warm white)', 'LED-BULB-A19-WARM'],
    ['Supercalifragilisticexpialidocious', 'SUPERCALIFRAGILISTIC'],
    ['???', 'ITEM'],
    ['聖水', 'ITEM'],
  ])('%j → %s', (name, stem) => {
    expect(itemCodeStem(name)).toBe(stem);
  });

  it('always gives a code the create validation accepts', () => {
    for (const name of [
      'Furnace filter',
      '-x-',
      '   ',
      'a'.repeat(200),
      'Ünïcødé ß',
      '1/2" pipe',
    ]) {
      const stem = itemCodeStem(name);
      expect(stem.length).toBeLessThanOrEqual(CODE_STEM_MAX);
      for (const sku of itemCodeCandidates(name, 'f3a9c2d1-0b7e-4c55-9a2e-12ab34cd56ef')) {
        expect(() =>
          parseCreateInventoryItem({
            organizationId: 'org-1',
            sku,
            name: 'n',
            unit: 'each',
            quantity: 0,
            minQuantity: 0,
          }),
        ).not.toThrow();
      }
    }
  });
});

describe('itemCodeCandidates', () => {
  it('tries the stem, then numbered codes, then one from the item id', () => {
    const candidates = itemCodeCandidates('Furnace filter', 'f3a9c2d1-0b7e-4c55-9a2e-12ab34cd56ef');
    expect(candidates.slice(0, 3)).toEqual([
      'FURNACE-FILTER',
      'FURNACE-FILTER-2',
      'FURNACE-FILTER-3',
    ]);
    expect(candidates).toHaveLength(NUMBERED_CODE_ATTEMPTS + 1);
    expect(candidates.at(-1)).toBe('FURNACE-FILTER-34CD56EF');
    expect(new Set(candidates.map((c) => c.toLowerCase())).size).toBe(candidates.length);
  });
});

import { describe, expect, it } from 'vitest';
import { editFormOf, formatMoney, itemChanges, itemCodeProblem } from './item-form';

const item = {
  name: 'Furnace filter',
  unit: 'each',
  minQuantity: 4,
  unitCost: 4.5,
  storageLocation: 'Boiler room',
};

describe('formatMoney', () => {
  it('formats an amount as money and shows a dash for none', () => {
    expect(formatMoney(4.5)).toMatch(/^\$4\.50$/);
    expect(formatMoney(1234)).toMatch(/1,234\.00/);
    expect(formatMoney(undefined)).toBe('–');
    expect(formatMoney(null)).toBe('–');
  });
});

describe('itemCodeProblem', () => {
  it.each([
    ['', null],
    ['   ', null],
    ['FLT-20', null],
    ['a/b_c.d', null],
  ])('accepts %j', (code, problem) => {
    expect(itemCodeProblem(code)).toBe(problem);
  });

  it.each(['A B', '-x', 'é', 'A'.repeat(65)])('explains what is wrong with %j', (code) => {
    expect(itemCodeProblem(code)).toMatch(/item code/);
  });
});

describe('itemChanges', () => {
  it('sends nothing when nothing changed', () => {
    expect(itemChanges(item, editFormOf(item))).toEqual({ changes: {} });
  });

  it('sends only what changed, trimmed', () => {
    expect(
      itemChanges(item, { ...editFormOf(item), name: ' Pleated filter ', minQuantity: '6' }),
    ).toEqual({ changes: { name: 'Pleated filter', minQuantity: 6 } });
  });

  it('reads a cost typed with a sign and clears blank cost and location with null', () => {
    expect(itemChanges(item, { ...editFormOf(item), unitCost: '$5.25' })).toEqual({
      changes: { unitCost: 5.25 },
    });
    expect(itemChanges(item, { ...editFormOf(item), unitCost: ' ', storageLocation: '' })).toEqual({
      changes: { unitCost: null, storageLocation: null },
    });
    expect(
      itemChanges({ ...item, unitCost: undefined }, { ...editFormOf(item), unitCost: '' }),
    ).toEqual({
      changes: {},
    });
  });

  it.each([
    [{ name: ' ' }, /name/],
    [{ unit: '' }, /unit/],
    [{ minQuantity: '-1' }, /minimum/],
    [{ minQuantity: '1.5' }, /minimum/],
    [{ unitCost: 'abc' }, /cost/],
    [{ unitCost: '-2' }, /cost/],
  ])('refuses %j', (patch, problem) => {
    const outcome = itemChanges(item, { ...editFormOf(item), ...patch });
    expect('problem' in outcome && outcome.problem).toMatch(problem);
  });
});

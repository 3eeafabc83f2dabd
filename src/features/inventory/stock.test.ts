import { describe, expect, it } from 'vitest';
import { adjustmentDelta, amountProblem, costOf, isLowStock } from './stock';

describe('isLowStock', () => {
  it.each([
    [3, 10, true],
    [4, 4, true],
    [6, 4, false],
  ])('quantity %i with minimum %i is low: %s', (quantity, minQuantity, low) => {
    expect(isLowStock({ quantity, minQuantity })).toBe(low);
  });
});

describe('adjustmentDelta', () => {
  it.each([
    ['RECEIVE', 5, 5],
    ['CONSUME', 2, -2],
    ['CONSUME', -2, -2],
    ['ADJUST', -3, -3],
    ['COUNT', 7, 7],
  ] as const)('%s of %i sends delta %i', (reason, amount, delta) => {
    expect(adjustmentDelta(reason, amount)).toBe(delta);
  });
});

describe('amountProblem', () => {
  it('accepts a positive whole number to consume', () =>
    expect(amountProblem('CONSUME', '2')).toBeNull());
  it('accepts a negative adjustment', () => expect(amountProblem('ADJUST', '-2')).toBeNull());
  it('accepts a count of zero', () => expect(amountProblem('COUNT', '0')).toBeNull());
  it('rejects fractions and words', () => {
    expect(amountProblem('RECEIVE', '1.5')).toBe('Enter a whole number.');
    expect(amountProblem('RECEIVE', 'ten')).toBe('Enter a whole number.');
  });
  it('rejects zero movement and signed receipts', () => {
    expect(amountProblem('ADJUST', '0')).toMatch(/other than zero/);
    expect(amountProblem('RECEIVE', '-1')).toMatch(/without a sign/);
  });
  it('rejects a negative count', () => expect(amountProblem('COUNT', '-1')).toMatch(/negative/));
});

describe('costOf', () => {
  it('prices consumed units by their absolute quantity', () => expect(costOf(-3, 2.25)).toBe(6.75));
  it('is unknown without a unit cost', () => expect(costOf(3, null)).toBeUndefined());
});

import { describe, expect, it } from 'vitest';
import { createRateLimiter, ratesFromWindow } from './rate-limiter';

describe('createRateLimiter', () => {
  it('admits a burst, then refills at the sustained rate, per key', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').admitted)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').admitted).toBe(true);
    now = 500;
    expect(limiter.take('a').admitted).toBe(true);
    expect(limiter.take('a').admitted).toBe(false);
  });
});

describe('ratesFromWindow', () => {
  it('turns 5-minute window limits into per-second rates with ten seconds of burst', () => {
    expect(ratesFromWindow({ perCaller: 15_000, perIp: 75_000, windowSeconds: 300 })).toEqual({
      perCaller: { perSecond: 50, burst: 500 },
      perIp: { perSecond: 250, burst: 2500 },
    });
    expect(ratesFromWindow(undefined)).toEqual({ perCaller: undefined, perIp: undefined });
  });
});

/** A sustained rate and the burst allowed above it. */
export type Rate = { perSecond: number; burst: number };

/** The answer for one request: admitted, or refused with the seconds until one would be. */
export type RateDecision = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** Token buckets by key (a caller's sub, or an address): `take` spends one token. */
export type RateLimiter = { take: (key: string) => RateDecision };

/** Buckets kept before full (idle) ones are dropped, so a flood of keys cannot grow memory. */
const MAX_BUCKETS = 10_000;

/** A token-bucket limiter: each key refills at `perSecond` up to `burst` tokens. */
export function createRateLimiter(rate: Rate, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (bucket: { tokens: number; at: number }, t: number) => {
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((t - bucket.at) / 1000) * rate.perSecond);
    bucket.at = t;
  };
  return {
    take(key) {
      const t = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= MAX_BUCKETS) {
          for (const [k, b] of buckets) {
            refill(b, t);
            if (b.tokens >= rate.burst) buckets.delete(k);
          }
        }
        bucket = { tokens: rate.burst, at: t };
        buckets.set(key, bucket);
      }
      refill(bucket, t);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { admitted: true };
      }
      return {
        admitted: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate.perSecond)),
      };
    },
  };
}

/**
 * The local rates from the web ACL's window limits: the same sustained rate, and a burst of ten
 * seconds of it (AWS WAF counts over the whole window, so it allows any burst within it).
 */
export function ratesFromWindow(
  limits: { perCaller?: number; perIp?: number; windowSeconds: number } | undefined,
): { perCaller?: Rate; perIp?: Rate } {
  const rate = (perWindow: number | undefined): Rate | undefined => {
    if (!perWindow || !limits) return undefined;
    const perSecond = perWindow / limits.windowSeconds;
    return { perSecond, burst: Math.max(1, Math.round(perSecond * 10)) };
  };
  return { perCaller: rate(limits?.perCaller), perIp: rate(limits?.perIp) };
}

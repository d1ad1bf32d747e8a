/** How much a key may do: `perMinute` on average, up to `burst` (default: a minute's worth) at once. */
export interface RateRule {
  perMinute: number;
  burst?: number;
}

/** The answer to one request: allowed, or refused with the seconds until one more would be. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts requests per key (a token subject, a client address) against a rule. The in-memory token
 * bucket below serves one process; several instances behind one address need a shared store (Redis,
 * the database) behind this same interface, which is why `take` answers a promise.
 */
export interface RateLimiter {
  take(key: string, rule: RateRule): Promise<RateDecision>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets in memory: each key holds up to `burst` tokens, refilled continuously at `perMinute`
 * a minute, and a request takes one. Unlike a fixed window, there is no boundary at which twice the
 * limit gets through. At most `maxKeys` buckets are kept: full ones (equal to no bucket) go first.
 */
export function createMemoryRateLimiter(
  now: () => number = Date.now,
  maxKeys = 100_000,
): RateLimiter & { size(): number } {
  const buckets = new Map<string, Bucket>();
  const sweep = (t: number, rule: RateRule) => {
    const capacity = rule.burst ?? rule.perMinute;
    for (const [key, b] of buckets)
      if (b.tokens + ((t - b.at) * rule.perMinute) / 60_000 >= capacity) buckets.delete(key);
    // Still too many: the oldest go, as a bucket that was never there would.
    for (const key of buckets.keys()) {
      if (buckets.size < maxKeys) break;
      buckets.delete(key);
    }
  };
  return {
    async take(key, rule) {
      const t = now();
      const capacity = rule.burst ?? rule.perMinute;
      const perMs = rule.perMinute / 60_000;
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) sweep(t, rule);
        b = { tokens: capacity, at: t };
        buckets.set(key, b);
      } else {
        b.tokens = Math.min(capacity, b.tokens + Math.max(0, t - b.at) * perMs);
        b.at = t;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
    },
    size: () => buckets.size,
  };
}

import { describe, expect, it } from "vitest";
import { createMemoryRateLimiter } from "./rate-limit.ts";

describe("token bucket rate limiter", () => {
  it("lets a minute's worth through at once, then one more per refill interval", async () => {
    let t = 0;
    const limiter = createMemoryRateLimiter(() => t);
    const rule = { perMinute: 6 };
    for (let i = 0; i < 6; i++) expect(await limiter.take("a", rule)).toEqual({ allowed: true });
    expect(await limiter.take("a", rule)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    t += 9_999;
    expect((await limiter.take("a", rule)).allowed).toBe(false);
    t += 1;
    expect(await limiter.take("a", rule)).toEqual({ allowed: true });
    expect((await limiter.take("a", rule)).allowed).toBe(false);
  });

  it("never lets twice the limit through around a boundary, as a fixed window would", async () => {
    let t = 0;
    const limiter = createMemoryRateLimiter(() => t);
    const rule = { perMinute: 60 };
    let allowed = 0;
    // 200 requests spread over the 2 seconds around the minute mark.
    t = 59_000;
    for (let i = 0; i < 200; i++) {
      t += 10;
      if ((await limiter.take("a", rule)).allowed) allowed++;
    }
    // A full bucket (60) plus what 2 s refill (2 × 1/s, the last one not quite complete).
    expect(allowed).toBe(61);
  });

  it("keys are independent, and a refused request does not drain the bucket further", async () => {
    let t = 0;
    const limiter = createMemoryRateLimiter(() => t);
    const rule = { perMinute: 60, burst: 2 };
    await limiter.take("a", rule);
    await limiter.take("a", rule);
    for (let i = 0; i < 50; i++) expect((await limiter.take("a", rule)).allowed).toBe(false);
    expect((await limiter.take("b", rule)).allowed).toBe(true);
    t += 1_000;
    expect((await limiter.take("a", rule)).allowed).toBe(true);
  });

  it("keeps at most maxKeys buckets, dropping full ones first", async () => {
    let t = 0;
    const limiter = createMemoryRateLimiter(() => t, 3);
    const rule = { perMinute: 60, burst: 1 };
    for (const k of ["a", "b", "c"]) await limiter.take(k, rule);
    t += 5_000;
    await limiter.take("d", rule);
    expect(limiter.size()).toBe(1);
  });
});

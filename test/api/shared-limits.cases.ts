import { describe, expect, it } from "vitest";
import { createSharedLockout } from "../../src/api/shared-lockout.ts";
import { createSharedRateLimiter } from "../../src/api/shared-rate-limit.ts";
import type { LockoutRules, VerificationLockout } from "../../src/api/verification-lockout.ts";
import type { Store } from "../../src/store/store.ts";

const MIN = 60_000;

/** The verification lockout's rules as the service promises them, for any implementation. */
export function runLockoutCases(
  make: (rules: LockoutRules, now: () => number) => Promise<VerificationLockout>,
) {
  it("locks a target at the Nth failure within the window, for the lock's time", async () => {
    let t = 0;
    const lockout = await make({ attempts: 3, windowMs: 30 * MIN, lockMs: 30 * MIN }, () => t);
    expect(await lockout.fail(["policy:A1"])).toEqual([]);
    t += MIN;
    expect(await lockout.fail(["policy:A1", "customer:c1"])).toEqual([]);
    expect(await lockout.lockedFor(["policy:A1"])).toBe(0);
    t += MIN;
    expect(await lockout.fail(["policy:A1"])).toEqual(["policy:A1"]);
    expect(await lockout.lockedFor(["customer:c1", "policy:A1"])).toBe(30 * 60);
    t += 30 * MIN - 1;
    expect(await lockout.lockedFor(["policy:A1"])).toBe(1);
    t += 1;
    expect(await lockout.lockedFor(["policy:A1"])).toBe(0);
  });

  it("failures older than the window are forgotten", async () => {
    let t = 0;
    const lockout = await make({ attempts: 2, windowMs: 10 * MIN, lockMs: 10 * MIN }, () => t);
    await lockout.fail(["customer:c1"]);
    t += 10 * MIN;
    expect(await lockout.fail(["customer:c1"])).toEqual([]);
    expect(await lockout.fail(["customer:c1"])).toEqual(["customer:c1"]);
  });

  it("a verified attempt forgets the failures", async () => {
    const lockout = await make({ attempts: 2, windowMs: MIN, lockMs: MIN }, () => 0);
    await lockout.fail(["customer:c1"]);
    await lockout.succeed(["customer:c1"]);
    expect(await lockout.fail(["customer:c1"])).toEqual([]);
  });
}

/** Two instances' limits on one store: what one counts, the other sees. */
export function runSharedLimitCases(store: () => Store) {
  // Each case its own clock far from the others, so their counters never meet.
  let epoch = 1_000 * MIN;
  const clock = () => {
    epoch += 1_000 * MIN;
    let t = epoch;
    return { now: () => t, move: (ms: number) => (t += ms) };
  };

  describe("verification lockout in the store", () => {
    runLockoutCases(async (rules, now) => {
      const s = store();
      // Each case its own targets' time: shift the case's clock far from the others'.
      epoch += 1_000 * MIN;
      const base = epoch;
      return createSharedLockout(rules, { counters: s.counters, leases: s.leases, now: () => base + now() });
    });

    it("failures at two instances add up, and a lock taken at one holds at the other", async () => {
      const c = clock();
      const rules = { attempts: 4, windowMs: 30 * MIN, lockMs: 30 * MIN };
      const a = createSharedLockout(rules, {
        counters: store().counters,
        leases: store().leases,
        now: c.now,
      });
      const b = createSharedLockout(rules, {
        counters: store().counters,
        leases: store().leases,
        now: c.now,
      });
      await Promise.all([a.fail(["policy:X"]), b.fail(["policy:X"]), a.fail(["policy:X"])]);
      expect(await b.lockedFor(["policy:X"])).toBe(0);
      expect(await b.fail(["policy:X"])).toEqual(["policy:X"]);
      expect(await a.lockedFor(["policy:X"])).toBe(30 * 60);
    });
  });

  describe("rate limits in the store", () => {
    it("what one instance allowed counts at the other after a sync; both refuse past the limit", async () => {
      const c = clock();
      const a = createSharedRateLimiter({
        counters: store().counters,
        writer: "a",
        now: c.now,
        syncMs: 3_600_000,
      });
      const b = createSharedRateLimiter({
        counters: store().counters,
        writer: "b",
        now: c.now,
        syncMs: 3_600_000,
      });
      const rule = { perMinute: 10 };
      for (let i = 0; i < 6; i++) expect((await a.take("sub:anna", rule)).allowed).toBe(true);
      await a.sync();
      // B has not seen this key yet: it reads its count before deciding.
      for (let i = 0; i < 4; i++) expect((await b.take("sub:anna", rule)).allowed).toBe(true);
      // Ten in this minute: the next gets through 6 s into the next one, when they weigh 9.
      expect(await b.take("sub:anna", rule)).toEqual({ allowed: false, retryAfterSeconds: 66 });
      await b.sync();
      await a.sync();
      expect((await a.take("sub:anna", rule)).allowed).toBe(false);
      // Another key is not touched.
      expect((await a.take("sub:bob", rule)).allowed).toBe(true);
      // A minute on, the last minute's 10 still weigh fully at its start and wane over this one.
      c.move(MIN);
      await a.sync();
      expect((await a.take("sub:anna", rule)).allowed).toBe(false);
      c.move(MIN / 2);
      for (let i = 0; i < 5; i++) expect((await a.take("sub:anna", rule)).allowed).toBe(true);
      expect((await a.take("sub:anna", rule)).allowed).toBe(false);
      a.close();
      b.close();
    });

    it("between syncs each instance decides alone: the overshoot is bounded by what one sync interval lets through", async () => {
      const c = clock();
      const rule = { perMinute: 10 };
      const limiters = ["a", "b", "c"].map((writer) =>
        createSharedRateLimiter({ counters: store().counters, writer, now: c.now, syncMs: 3_600_000 }),
      );
      let allowed = 0;
      for (const l of limiters)
        for (let i = 0; i < 10; i++) if ((await l.take("sub:x", rule)).allowed) allowed++;
      // No sync yet: each let its own 10 through (N × limit, the worst case of one interval).
      expect(allowed).toBe(30);
      for (const l of limiters) await l.sync();
      for (const l of limiters) expect((await l.take("sub:x", rule)).allowed).toBe(false);
      for (const l of limiters) l.close();
    });
  });
}

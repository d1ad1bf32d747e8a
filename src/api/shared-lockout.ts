import { randomUUID } from "node:crypto";
import type { CounterStore, LeaseStore } from "../store/store-coordination.ts";
import type { LockoutRules, VerificationLockout } from "./verification-lockout.ts";

/** The store's counters and leases, and the clock. */
export interface SharedLockoutOptions {
  counters: CounterStore;
  leases: LeaseStore;
  now?: () => number;
}

/** Parts a failure window is counted in: a failure older than the window by up to 1/30 of it is forgotten early. */
const BUCKETS = 30;

/**
 * The verification lockout kept in the store, so that it holds across instances (STORE=mongodb):
 * failures are counted per target in 30 time buckets of the window (each failure its own share of a
 * counter, so concurrent failures are all counted), and a lock is a lease on the target that no
 * owner renews, taken only when none is in force. One store round trip or two per verification
 * (docs/benchmarks.md), where a verification reads the store anyway.
 */
export function createSharedLockout(rules: LockoutRules, options: SharedLockoutOptions): VerificationLockout {
  const { counters, leases } = options;
  const now = options.now ?? Date.now;
  const bucketMs = Math.max(1, Math.ceil(rules.windowMs / BUCKETS));
  const lockName = (target: string) => `verify-lock:${target}`;
  /** The counter keys of a target's failures within the window ending at `t`. */
  const windowKeys = (target: string, t: number) => {
    const last = Math.floor(t / bucketMs);
    const first = Math.floor((t - rules.windowMs) / bucketMs) + 1;
    return Array.from({ length: last - first + 1 }, (_, i) => `verify-fail:${target}:${first + i}`);
  };

  return {
    async lockedFor(targets) {
      const t = now();
      let ms = 0;
      for (const target of new Set(targets)) {
        const lock = await leases.get(lockName(target));
        if (lock && lock.expiresAt > t) ms = Math.max(ms, lock.expiresAt - t);
      }
      return Math.ceil(ms / 1000);
    },
    async fail(targets) {
      const t = now();
      const locked: string[] = [];
      for (const target of new Set(targets)) {
        const keys = windowKeys(target, t);
        await counters.add(
          [{ key: keys.at(-1)!, by: 1, expiresAt: t + rules.windowMs + bucketMs }],
          randomUUID(),
        );
        const failures = (await counters.read(keys)).reduce((a, b) => a + b, 0);
        if (failures < rules.attempts) continue;
        // A fresh owner: the lease is taken only when no lock is in force, and nobody renews it.
        if (await leases.acquire(lockName(target), `lock:${randomUUID()}`, rules.lockMs, t)) {
          locked.push(target);
          await counters.delete(keys);
        }
      }
      return locked;
    },
    async succeed(targets) {
      const t = now();
      await counters.delete([...new Set(targets)].flatMap((target) => windowKeys(target, t)));
    },
  };
}

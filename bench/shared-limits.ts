/**
 * What rate limits and the verification lockout cost when several instances share them:
 * `node bench/shared-limits.ts [--store sqlite|mongodb] [--n 2000]` (MONGODB_URL for mongodb).
 * Prints, per call: the in-memory token bucket, the store-backed limiter's local decision (what a
 * request pays), one store round trip (what a limiter asking the store on every request would pay),
 * a sync of 50 keys (paid once a second in the background), and the lockout's store calls per
 * verification (lockedFor, fail).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createMemoryRateLimiter } from "../src/api/rate-limit.ts";
import { createSharedLockout } from "../src/api/shared-lockout.ts";
import { createSharedRateLimiter } from "../src/api/shared-rate-limit.ts";
import { MongoStore } from "../src/store/mongo-store.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import type { Store } from "../src/store/store.ts";

const { values } = parseArgs({
  options: { store: { type: "string", default: "sqlite" }, n: { type: "string", default: "2000" } },
});
const n = Number(values.n);
const dir = mkdtempSync(join(tmpdir(), "kh-limits-bench-"));
const store: Store =
  values.store === "mongodb"
    ? new MongoStore({ url: process.env.MONGODB_URL!, dbName: `kh_limits_${randomBytes(4).toString("hex")}` })
    : new SqliteStore({ dataDir: dir });
await store.init();

/** Times `n` sequential calls; answers µs per call at p50 / p95. */
async function timed(what: string, calls: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  const us: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await fn(i);
    us.push((performance.now() - t) * 1000);
  }
  us.sort((a, b) => a - b);
  const at = (p: number) => us[Math.min(us.length - 1, Math.floor((p / 100) * us.length))]!;
  console.log(
    `${what.padEnd(58)} p50 ${at(50).toFixed(1).padStart(8)} µs  p95 ${at(95).toFixed(1).padStart(8)} µs`,
  );
}

const rule = { perMinute: 1_000_000 };
const memory = createMemoryRateLimiter();
const shared = createSharedRateLimiter({ counters: store.counters, writer: "bench", syncMs: 3_600_000 });
await shared.take("sub:warm", rule);
console.log(`store ${store.kind}, ${n} calls each`);
await timed("in-memory token bucket: take", n, () => memory.take("sub:anna", rule));
await timed("store-backed limiter: take (local decision, no round trip)", n, () =>
  shared.take("sub:warm", rule),
);
await timed("one store round trip (counters.add of one key)", Math.min(n, 500), (i) =>
  store.counters.add([{ key: `rt:${i % 50}`, by: 1, expiresAt: Date.now() + 120_000 }], "bench"),
);
for (let k = 0; k < 50; k++) await shared.take(`sub:k${k}`, rule);
await timed("store-backed limiter: sync of 50 keys (once a second)", 20, async () => {
  for (let k = 0; k < 50; k++) await shared.take(`sub:k${k}`, rule);
  await shared.sync();
});
const lockout = createSharedLockout(
  { attempts: 1_000_000, windowMs: 30 * 60_000, lockMs: 30 * 60_000 },
  { counters: store.counters, leases: store.leases },
);
await timed("lockout: lockedFor one target", Math.min(n, 300), (i) =>
  lockout.lockedFor([`policy:P${i % 20}`]),
);
await timed("lockout: fail one target", Math.min(n, 300), (i) => lockout.fail([`policy:P${i % 20}`]));
shared.close();
if (store instanceof MongoStore) await store.dropDatabase();
await store.close();
rmSync(dir, { recursive: true, force: true });

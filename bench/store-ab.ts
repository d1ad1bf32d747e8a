/**
 * Two trees' delivery write path in one process: `node bench/store-ab.ts TREE_A TREE_B [rows=400000] [csv]`.
 * TREE_A and TREE_B are checkouts of this repository (e.g. `git worktree add /tmp/wt-a <rev>`, with
 * node_modules linked in). Each gets a fresh SqliteStore; the same parsed rows (the first `rows` of the
 * standaard CSV `csv`, default /tmp/ingest-1m.csv as `bench/ingest.ts --csv` writes it) go to both in
 * 25,000-row batches through each tree's own `writeBatch`, the batches alternating between them and
 * which one goes first. A shared machine's speed drifts between runs minutes apart; within one process,
 * batch after batch, both trees see the same drift, so a few per cent show. Prints each tree's wall
 * seconds in `writeBatch` (CPU is the process's, so shared, and is not split per tree). Parsing and
 * identity keys are worked out once beforehand and not timed. How far apart one tree comes out against
 * itself: docs/benchmarks.md, "Comparing two trees".
 */
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { matchKeys as MatchKeys } from "../src/domain/identity.ts";
import type { CanonicalRow } from "../src/domain/model.ts";
import type { writeBatch as WriteBatch } from "../src/ingest/delivery-batch.ts";
import type { readDelivery as ReadDelivery } from "../src/ingest/read-delivery.ts";
import type { SqliteStore } from "../src/store/sqlite-store.ts";

const [treeA, treeB, rowsArg = "400000", csv = "/tmp/ingest-1m.csv"] = process.argv.slice(2);
if (!treeA || !treeB) {
  console.error("usage: node bench/store-ab.ts TREE_A TREE_B [rows=400000] [csv]");
  process.exit(2);
}
const BATCH = 25_000;

interface Tree {
  path: string;
  Store: typeof SqliteStore;
  writeBatch: typeof WriteBatch;
}
async function load(path: string): Promise<Tree> {
  const dir = resolve(path);
  return {
    path: dir,
    Store: (await import(join(dir, "src/store/sqlite-store.ts"))).SqliteStore,
    writeBatch: (await import(join(dir, "src/ingest/delivery-batch.ts"))).writeBatch,
  };
}
const trees = [await load(treeA), await load(treeB)];

const readDelivery: typeof ReadDelivery = (await import(join(trees[0]!.path, "src/ingest/read-delivery.ts")))
  .readDelivery;
// Keys worked out beforehand, as the parse worker hands them to the writing thread.
const matchKeys: typeof MatchKeys = (await import(join(trees[0]!.path, "src/domain/identity.ts"))).matchKeys;
const rows: CanonicalRow[] = [];
const keys: string[][] = [];
const wanted = Number(rowsArg);
for await (const r of readDelivery(createReadStream(csv, { highWaterMark: 1 << 20 }), {
  partner: "VOLMACHT-A",
  format: "csv",
  profile: "standaard",
})) {
  if (!r.ok) continue;
  rows.push(r.row);
  keys.push(matchKeys(r.row));
  if (rows.length >= wanted) break;
}

const dirs = trees.map(() => mkdtempSync(join(tmpdir(), "kh-store-ab-")));
const stores = trees.map((t, i) => new t.Store({ dataDir: dirs[i]! }));
try {
  for (const s of stores) await s.init();
  const delivery = { id: "store-ab", receivedAt: "2026-12-01T10:00:00.000Z", partner: "VOLMACHT-A" };
  const ms = [0, 0];
  for (let i = 0, b = 0; i < rows.length; i += BATCH, b++) {
    for (const k of b % 2 === 0 ? [0, 1] : [1, 0]) {
      const t = performance.now();
      await trees[k]!.writeBatch(
        stores[k]!,
        delivery,
        "2026-12-01",
        rows.slice(i, i + BATCH),
        keys.slice(i, i + BATCH),
      );
      ms[k]! += performance.now() - t;
    }
  }
  console.log(
    JSON.stringify({
      rows: rows.length,
      batch: BATCH,
      a: { tree: trees[0]!.path, writeBatchSeconds: Number((ms[0]! / 1000).toFixed(1)) },
      b: { tree: trees[1]!.path, writeBatchSeconds: Number((ms[1]! / 1000).toFixed(1)) },
    }),
  );
} finally {
  for (const s of stores) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

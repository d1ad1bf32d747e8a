/**
 * What erasure without a trace costs on the embedded default: `node bench/erasure.ts [customers=100000]`.
 * Uses (or with BENCH_DIR reuses) the base of bench/http-search.ts — `customers` customers in one full
 * delivery — and, on a copy of it per mode, takes that whole delivery out of the store and the search
 * index as retention does (removeDeliveryShare with the real indexer and embedded engine), then makes
 * it unrecoverable (the store's scrub and the engine's expunge: truncating WAL checkpoints). Once with
 * secure_delete on (as the service runs) and once with it off, to show what zeroing deleted bytes
 * costs. Prints, per mode: removal seconds, scrub seconds, WAL bytes before the scrub, file sizes after.
 */
import { cpSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { createIndexer } from "../src/indexer/indexer.ts";
import { removeDeliveryShare } from "../src/retention/remove-delivery.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import { fileSize } from "../src/sqlite-wal.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { basePortfolio } from "./base-portfolio.ts";

const customers = Number(process.argv[2] ?? 100_000);
const modes = (process.argv[3] ?? "on,off").split(",");
const base = await basePortfolio(customers);
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

for (const mode of modes) {
  const dataDir = join(mkdtempSync(join(tmpdir(), "kh-erasure-")), "data");
  cpSync(join(base.dir, "data"), dataDir, { recursive: true });
  const store = new SqliteStore({ dataDir });
  await store.init();
  const engine = new EmbeddedSearchEngine({ dataDir, docCache: 0 });
  await engine.init();
  if (mode === "off") {
    // Reaching into both connections: the service never runs without secure_delete.
    (store as unknown as { main: { db: DatabaseSync } }).main.db.exec("PRAGMA secure_delete = OFF");
    (engine as unknown as { db: DatabaseSync }).db.exec("PRAGMA secure_delete = OFF");
  }
  const indexer = createIndexer({ store, engine });
  const [delivery] = await store.listDeliveries({ partner: "VOLMACHT-A" });
  if (!delivery) throw new Error("the base has no delivery");

  const t0 = performance.now();
  const removed = await removeDeliveryShare({ store, indexer, deliveryId: delivery.id });
  const removeSeconds = (performance.now() - t0) / 1000;
  const walBefore = {
    store: fileSize(join(dataDir, "klantherkenning.db-wal")),
    search: fileSize(join(dataDir, "search.sqlite-wal")),
  };
  const t1 = performance.now();
  const storeScrub = await store.scrub();
  const storeScrubSeconds = (performance.now() - t1) / 1000;
  const t2 = performance.now();
  const indexScrub = await engine.expungeDeleted();
  const indexScrubSeconds = (performance.now() - t2) / 1000;
  await engine.close();
  await store.close();
  console.log(
    JSON.stringify({
      secureDelete: mode,
      customers,
      removed,
      removeSeconds: Number(removeSeconds.toFixed(1)),
      walMiBBeforeScrub: { store: mib(walBefore.store), search: mib(walBefore.search) },
      storeScrubSeconds: Number(storeScrubSeconds.toFixed(2)),
      indexScrubSeconds: Number(indexScrubSeconds.toFixed(2)),
      scrubOk: storeScrub.ok && indexScrub.ok,
      filesMiBAfter: {
        store: mib(statSync(join(dataDir, "klantherkenning.db")).size),
        search: mib(statSync(join(dataDir, "search.sqlite")).size),
      },
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
  rmSync(join(dataDir, ".."), { recursive: true, force: true });
}
base.dispose();

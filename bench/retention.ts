/**
 * Removing one big delivery from the system of record, as retention (and undoing a failed delivery)
 * does: `node bench/retention.ts [customers=100000]`. Uses (or with BENCH_DIR reuses) the base of
 * bench/http-search.ts — `customers` customers in one full delivery on the embedded store — copies it,
 * and runs `removeDeliveryShare` for that delivery in this process with the real SQLite store; the
 * search-index calls are counted, not run (the store's part is measured). Prints the time, the worst
 * event-loop lag meanwhile (a 20 ms timer; "never turned" when it did not fire once) and peak RSS.
 * Current figures: docs/benchmarks.md, "Retention of a big delivery".
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Indexer } from "../src/indexer/indexer.ts";
import { removeDeliveryShare } from "../src/retention/remove-delivery.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { basePortfolio } from "./base-portfolio.ts";

const customers = Number(process.argv[2] ?? 100_000);
const base = await basePortfolio(customers);
const dataDir = join(mkdtempSync(join(tmpdir(), "kh-retention-")), "data");
cpSync(join(base.dir, "data"), dataDir, { recursive: true });

const store = new SqliteStore({ dataDir });
await store.init();
const [delivery] = await store.listDeliveries({ partner: "VOLMACHT-A" });
if (!delivery) throw new Error("the base has no delivery");
const calls: Record<string, number> = {};
const count =
  (name: string) =>
  async (arg?: readonly unknown[]): Promise<void> => {
    calls[name] = (calls[name] ?? 0) + (arg?.length ?? 1);
  };
const indexer = {
  indexCustomers: count("indexCustomers"),
  indexRecords: count("indexRecords"),
  removeCustomers: count("removeCustomers"),
  reindexAll: async () => void count("reindexAll")(),
  reconcile: async () => ({ storeCount: 0, indexCount: 0, sampled: 0, mismatched: [], ok: true }),
} satisfies Indexer;

let worst = 0;
let turned = false;
let last = performance.now();
const timer = setInterval(() => {
  const now = performance.now();
  worst = Math.max(worst, now - last - 20);
  turned = true;
  last = now;
}, 20);
const started = performance.now();
const removed = await removeDeliveryShare({ store, indexer, deliveryId: delivery.id });
const seconds = (performance.now() - started) / 1000;
worst = Math.max(worst, performance.now() - last - 20);
clearInterval(timer);
const left = await store.countCustomers();
await store.close();
rmSync(join(dataDir, ".."), { recursive: true, force: true });
base.dispose();
console.log(
  JSON.stringify({
    delivery: delivery.counts,
    removed,
    indexCalls: calls,
    customersLeft: left,
    seconds: Number(seconds.toFixed(1)),
    worstEventLoopLagMs: turned ? Math.round(worst) : "never turned",
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

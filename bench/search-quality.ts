/**
 * The quality suite's evaluation on a bigger portfolio (embedded engine): recall@1, recall@5 and MRR
 * per query type, ours beside the naive baseline, and confidence calibration.
 * Usage: `npx node bench/search-quality.ts [customers=200000] [queriesPerType=100]`.
 */
import os from "node:os";
import { createCustomerSearch } from "../src/search/customer-search-service.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import { evaluate, formatReport } from "../test/quality/evaluate.ts";
import { portfolioDocs } from "../test/quality/portfolio.ts";
import { buildQuerySet } from "../test/quality/query-set.ts";

const customers = Number(process.argv[2] ?? 200_000);
const perType = Number(process.argv[3] ?? 100);

let t = performance.now();
const docs = portfolioDocs(customers, 4242);
console.log(`generated ${docs.length} customers in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
await engine.init();
t = performance.now();
for (let i = 0; i < docs.length; i += 5000) await engine.upsert(docs.slice(i, i + 5000));
await engine.refresh();
console.log(`indexed in ${((performance.now() - t) / 1000).toFixed(1)} s`);

// A held-out query seed: the suite's floors were set on another portfolio and other queries.
const queries = buildQuerySet(docs, 99, perType);
const byId = new Map(docs.map((d) => [d.customerId, d]));
t = performance.now();
const report = await evaluate(createCustomerSearch({ engine }), engine, byId, queries);
console.log(
  formatReport(
    `search quality, embedded, ${docs.length} customers, ${queries.length} queries (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, ${((performance.now() - t) / 1000).toFixed(0)} s)`,
    report,
  ),
);
console.log("\nfirst misses (query → expected, got):");
for (const f of report.failures.slice(0, 20))
  console.log(`  [${f.type}] ${f.q} → ${f.expected}, ${f.got ?? "nothing"}`);
await engine.close();

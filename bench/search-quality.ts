/**
 * Search quality at scale: recall@1, recall@5 and MRR per query type, ours beside the naive baseline,
 * and the confidence's calibration, on a generated portfolio indexed into one engine.
 * Usage: `npm run bench -- quality [--customers 200000] [--per-type 100] [--engine embedded|opensearch|elasticsearch]
 * [--set tuning|held-out] [--json FILE]`. OpenSearch and Elasticsearch are read from OPENSEARCH_URL and
 * ELASTICSEARCH_URL; their index (a random prefix) is dropped afterwards.
 *
 * `tuning` is the quality suite's query types on portfolio seed 4242 (query seed 99); `held-out` is
 * portfolio seed 9001 with cities re-spelt as partners deliver them and query phrasings written apart
 * from the tuning set (test/quality/held-out.ts).
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { createCustomerSearch } from "../src/search/customer-search-service.ts";
import { createElasticsearchEngine, createOpenSearchEngine } from "../src/search/elastic-engine.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import type { CustomerDoc, SearchEngine } from "../src/search/search-engine.ts";
import { evaluate, formatReport } from "../test/quality/evaluate.ts";
import { HELD_OUT_TYPES, heldOutDocBatches } from "../test/quality/held-out.ts";
import { portfolioDocBatches } from "../test/quality/portfolio.ts";
import { buildQuerySet } from "../test/quality/query-set.ts";

const { values: args } = parseArgs({
  options: {
    customers: { type: "string", default: "200000" },
    "per-type": { type: "string", default: "100" },
    engine: { type: "string", default: "embedded" },
    set: { type: "string", default: "tuning" },
    json: { type: "string" },
    naive: { type: "boolean", default: true },
  },
  allowNegative: true,
});
const customers = Number(args.customers);
const perType = Number(args["per-type"]);
const heldOut = args.set === "held-out";
if (!["tuning", "held-out"].includes(args.set!)) throw new Error("--set is tuning or held-out");

async function openEngine(name: string): Promise<SearchEngine & { dropAll?: () => Promise<void> }> {
  if (name === "embedded") {
    const engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
    await engine.init();
    return engine;
  }
  const prefix = `bench-quality-${randomBytes(4).toString("hex")}-`;
  const url = name === "opensearch" ? process.env.OPENSEARCH_URL : process.env.ELASTICSEARCH_URL;
  if (!url) throw new Error(`set ${name === "opensearch" ? "OPENSEARCH_URL" : "ELASTICSEARCH_URL"}`);
  const engine = (name === "opensearch" ? createOpenSearchEngine : createElasticsearchEngine)(url, {
    prefix,
  });
  await engine.init();
  return engine;
}

const engine = await openEngine(args.engine!);
try {
  let t = performance.now();
  const docs: CustomerDoc[] = [];
  const batches = heldOut ? heldOutDocBatches(customers, 9001) : portfolioDocBatches(customers, 4242);
  for (const batch of batches) {
    const result = await engine.upsert(batch);
    if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected[0])}`);
    for (const d of batch) docs.push(d);
  }
  await engine.refresh();
  console.log(
    `generated and indexed ${docs.length} customers in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const queries = heldOut
    ? buildQuerySet(docs, 31337, perType, HELD_OUT_TYPES)
    : buildQuerySet(docs, 99, perType);
  const byId = new Map(docs.map((d) => [d.customerId, d]));
  docs.length = 0;
  t = performance.now();
  const report = await evaluate(createCustomerSearch({ engine }), engine, byId, queries, {
    naive: args.naive,
  });
  const title = `search quality, ${engine.name}, ${byId.size} customers, ${args.set} set, ${queries.length} queries (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, ${((performance.now() - t) / 1000).toFixed(0)} s)`;
  console.log(formatReport(title, report));
  console.log("\nfirst misses (query → expected, got):");
  for (const f of report.failures.slice(0, 30))
    console.log(`  [${f.type}] ${f.q} → ${f.expected}, ${f.got ?? "nothing"}`);
  if (args.json)
    writeFileSync(
      args.json,
      JSON.stringify({ engine: engine.name, customers: byId.size, set: args.set, report }, null, 1),
    );
} finally {
  await engine.dropAll?.();
  await engine.close();
}

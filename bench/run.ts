/**
 * `npm run bench [-- NAME [args…]]`: runs one benchmark, or lists them. Each is its own script so it
 * can be run alone with its own arguments; figures go to stdout, with the machine they ran on.
 */
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const BENCHES: Record<string, { file: string; what: string }> = {
  ingest: {
    file: "ingest.ts",
    what: "1,000,000-row delivery into the store (+ embedded search): rows/s, peak RSS (--format nvga-polis)",
  },
  "nvga-quality": {
    file: "nvga-quality.ts",
    what: "the same portfolio as CSV and as NVGA File Polis: counts, customers, recall@1 (--customers 100000)",
  },
  "search-engine": { file: "search-engine.ts", what: "retrieval latency per engine (embedded, opensearch)" },
  "search-latency": {
    file: "search-latency.ts",
    what: "in-process search latency per query type, caller lookup",
  },
  quality: {
    file: "search-quality.ts",
    what: "recall@1/@5 and MRR per query type vs the naive baseline (--customers N --engine E --set tuning|held-out)",
  },
  "typing-curve": {
    file: "typing-curve.ts",
    what: "characters typed until the target comes first and stays first, ours vs MiniSearch (--customers N)",
  },
  "http-search": { file: "http-search.ts", what: "POST /v1/search through HTTP with 16 concurrent clients" },
  "search-specificity": {
    file: "search-specificity.ts",
    what: "CPU per search of the API's minimum-specificity check (query attributes, best result's matches)",
  },
  retention: {
    file: "retention.ts",
    what: "removing one big delivery from the store (retention): time, worst event-loop lag, peak RSS",
  },
  erasure: {
    file: "erasure.ts",
    what: "retention of a whole delivery with secure_delete on and off, and the truncating checkpoints after",
  },
  expunge: {
    file: "expunge.ts",
    what: "Elasticsearch/OpenSearch: deleted documents merged away (expungeDeleted) against a full rebuild",
  },
  "audit-log": {
    file: "audit-log.ts",
    what: "audit records appended per lookup, and audit retention while lookups go on: CPU, lag, latency",
  },
  "store-ab": {
    file: "store-ab.ts",
    what: "two checkouts' delivery write path in one process, batches alternating (TREE_A TREE_B [rows])",
  },
  "search-ab": {
    file: "search-ab.ts",
    what: "two checkouts' search in one process on the http bench's 1M data, queries alternating (TREE_A TREE_B)",
  },
  soak: {
    file: "soak.ts",
    what: "16 searches in flight for 10 minutes while a 200,000-row delivery lands and reindexes run: failures, p99, RSS",
  },
  "app-typing": {
    file: "app-typing.ts",
    what: "keystroke in the application's search box to its results on screen, headless Chromium, 200,000 customers",
  },
  "shared-limits": {
    file: "shared-limits.ts",
    what: "rate limits and lockout across instances: a request's local decision against a store round trip",
  },
  "search-during-ingest": {
    file: "search-during-ingest.ts",
    what: "search latency through HTTP while a delivery lands, against the same with nothing landing",
  },
};

const [name, ...args] = process.argv.slice(2);
const help = name === "--help" || name === "-h";
const bench = name && !help ? BENCHES[name] : undefined;
if (!bench) {
  if (name && !help) console.error(`unknown benchmark "${name}"`);
  console.log("usage: npm run bench -- NAME [args…]   (each bench/NAME.ts's header says what it measures)\n");
  for (const [n, b] of Object.entries(BENCHES)) console.log(`  ${n.padEnd(16)} ${b.what}`);
  process.exit(name && !help ? 2 : 0);
}
console.log(
  `# ${name} on ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}`,
);
const file = fileURLToPath(new URL(bench.file, import.meta.url));
const result = spawnSync(process.execPath, [file, ...args], { stdio: "inherit" });
process.exit(result.status ?? 1);

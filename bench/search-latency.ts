/**
 * In-process search latency on the embedded engine: p50/p95/p99 per query type and for caller lookup.
 * Usage: `npx node bench/search-latency.ts [customers=200000] [queriesPerType=100]`.
 */
import os from "node:os";
import { createCustomerSearch } from "../src/search/customer-search-service.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import type { CustomerDoc } from "../src/search/search-engine.ts";
import { quantile } from "../test/quality/evaluate.ts";
import { portfolioDocBatches } from "../test/quality/portfolio.ts";
import { buildQuerySet } from "../test/quality/query-set.ts";

const customers = Number(process.argv[2] ?? 200_000);
const perType = Number(process.argv[3] ?? 100);
const ms = (x: number) => x.toFixed(2).padStart(7);

const engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
await engine.init();
// Streamed: the engine holds the portfolio; the bench keeps one customer in 20 to build queries from.
const docs: CustomerDoc[] = [];
let indexed = 0;
const t = performance.now();
for (const batch of portfolioDocBatches(customers, 20261125)) {
  await engine.upsert(batch);
  indexed += batch.length;
  for (let i = 0; i < batch.length; i += 20) docs.push(batch[i]!);
}
await engine.refresh();
console.log(
  `generated and indexed ${indexed} customers in ${((performance.now() - t) / 1000).toFixed(1)} s; heap ${(process.memoryUsage().heapUsed / 2 ** 30).toFixed(2)} GiB, rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB`,
);

const search = createCustomerSearch({ engine });
const queries = buildQuerySet(docs, 11, perType);
// Warm up: the typo indexes and JIT, as a running service would be.
for (const q of queries.slice(0, 200)) await search.search({ q: q.q, limit: 10 });

const byType = new Map<string, number[]>();
const all: number[] = [];
let first = 0;
let left = 0;
const sample = new Map(docs.map((d) => [d.customerId, d]));
// Another returned customer with the very same evidence makes the query ambiguous (as in the suite).
async function ambiguous(q: (typeof queries)[number], ids: string[]): Promise<boolean> {
  const truth = q.evidence(sample.get(q.expected)!);
  for (const id of ids) {
    const doc = id === q.expected ? null : await engine.get(id);
    if (doc && q.evidence(doc) === truth) return true;
  }
  return false;
}
let five = 0;
const hitsByType = new Map<string, { n: number; first: number }>();
for (const q of queries) {
  const start = performance.now();
  const res = await search.search({ q: q.q, limit: 10 });
  const took = performance.now() - start;
  all.push(took);
  byType.set(q.type, [...(byType.get(q.type) ?? []), took]);
  const rank = res.results.findIndex((r) => r.customerId === q.expected) + 1;
  if (
    await ambiguous(
      q,
      res.results.map((r) => r.customerId),
    )
  )
    left++;
  else {
    const hits = hitsByType.get(q.type) ?? { n: 0, first: 0 };
    hits.n++;
    if (rank === 1) hits.first++;
    hitsByType.set(q.type, hits);
    if (rank === 1) first++;
    if (rank >= 1 && rank <= 5) five++;
  }
}
const phones = docs.flatMap((d) => d.phones.slice(0, 1)).slice(0, 2000);
const callers: number[] = [];
for (const p of phones) {
  const start = performance.now();
  await search.callers(`0${p.slice(3)}`);
  callers.push(performance.now() - start);
}

const recallOf = (type: string) => {
  const h = hitsByType.get(type);
  return h && h.n > 0 ? (h.first / h.n).toFixed(3) : "  -  ";
};
console.log(
  `\nsearch latency, embedded in-process, ${indexed} customers, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
);
console.log(`${"query type".padEnd(70)}    n     p50     p95     p99   r@1`);
for (const [type, xs] of byType)
  console.log(
    `${type.padEnd(70)} ${String(xs.length).padStart(4)} ${ms(quantile(xs, 0.5))} ${ms(quantile(xs, 0.95))} ${ms(quantile(xs, 0.99))} ${recallOf(type)}`,
  );
console.log(
  `${"all searches".padEnd(70)} ${String(all.length).padStart(4)} ${ms(quantile(all, 0.5))} ${ms(quantile(all, 0.95))} ${ms(quantile(all, 0.99))}`,
);
console.log(
  `${"caller lookup (phone)".padEnd(70)} ${String(callers.length).padStart(4)} ${ms(quantile(callers, 0.5))} ${ms(quantile(callers, 0.95))} ${ms(quantile(callers, 0.99))}`,
);
console.log(
  `recall (${left} ambiguous queries left out): @1 ${(first / (queries.length - left)).toFixed(3)}, @5 ${(five / (queries.length - left)).toFixed(3)}`,
);
await engine.close();

/**
 * In-process A/B of two checkouts' search: `npm run bench -- search-ab TREE_A TREE_B [queries=8000]`.
 * Both trees' embedded engines and search services run in this one process, each on its own copy of
 * the 1,000,000-customer search database that `bench/http-search.ts` keeps under BENCH_DIR (run that
 * first with BENCH_DIR set); the http bench's query mix goes through them in blocks of 250, the two
 * trees alternating and taking turns at going first, so the machine's drift (±10–50 % between runs
 * minutes apart here) falls on both alike. Prints CPU-ms per query per tree and how many answers
 * (results, scores, confidences, matches; not `tookMs`) differ. Use with `git worktree add` and
 * node_modules linked in. Session 7 (Xeon, 2026-12-01) measured its changes with it: e.g. the index's
 * summaries of heavy clauses, B/A 0.785 and (swapped) A/B 1.216, no answer differing.
 */
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generatePortfolio } from "../src/demo/generator.ts";
import { type BenchQuery, benchQueriesOf, HTTP_BENCH_PORTFOLIO } from "./http-queries.ts";

const [treeA, treeB, count] = process.argv.slice(2);
if (!treeA || !treeB) throw new Error("usage: search-ab TREE_A TREE_B [queries]");
const n = Number(count ?? 8000);
const source = join(process.env.BENCH_DIR ?? "", "1000000", "data", "search.sqlite");
if (!process.env.BENCH_DIR || !existsSync(source))
  throw new Error(`no ${source}: run BENCH_DIR=… node bench/http-search.ts 1000000 first`);

interface Search {
  search(input: Record<string, unknown>): Promise<unknown>;
  callers(phone: string): Promise<unknown>;
}
async function open(tree: string, name: string): Promise<Search> {
  const { EmbeddedSearchEngine } = await import(resolve(tree, "src/search/embedded-engine.ts"));
  const { createCustomerSearch } = await import(resolve(tree, "src/search/customer-search-service.ts"));
  const dir = join(tmpdir(), `kh-search-ab-${name}`);
  if (!existsSync(join(dir, "search.sqlite"))) {
    mkdirSync(dir, { recursive: true });
    cpSync(source, join(dir, "search.sqlite"));
  }
  const engine = new EmbeddedSearchEngine({ dataDir: dir, docCache: 100_000 });
  await engine.init();
  return createCustomerSearch({ engine });
}
const A = await open(treeA, "a");
const B = await open(treeB, "b");

const queries: BenchQuery[] = [];
let i = 0;
for (const row of generatePortfolio({ customers: 1_000_000, ...HTTP_BENCH_PORTFOLIO })) {
  queries.push(...benchQueriesOf(row, i++));
  if (queries.length > n + 2000) break;
}
const run = (s: Search, q: BenchQuery) =>
  q.path === "/v1/search" ? s.search(q.body) : s.callers(String(q.body.phone));
// Warm-up on other queries than the measured ones: JIT, document caches, summaries.
for (const q of queries.slice(n, n + 1500)) {
  await run(A, q);
  await run(B, q);
}
const answer = (r: unknown) => JSON.stringify({ ...(r as object), tookMs: 0 });
const cpu = { A: 0, B: 0 };
let differ = 0;
const BLOCK = 250;
for (let b = 0; b < n; b += BLOCK) {
  const block = queries.slice(b, b + BLOCK);
  const order = (b / BLOCK) % 2 === 0 ? (["A", "B"] as const) : (["B", "A"] as const);
  const answers = { A: [] as string[], B: [] as string[] };
  for (const k of order) {
    const s = k === "A" ? A : B;
    const c0 = process.cpuUsage();
    for (const q of block) answers[k].push(answer(await run(s, q)));
    const c = process.cpuUsage(c0);
    cpu[k] += (c.user + c.system) / 1000;
  }
  for (let j = 0; j < block.length; j++) if (answers.A[j] !== answers.B[j]) differ++;
}
console.log(
  `${n} queries: A ${(cpu.A / n).toFixed(3)} CPU-ms, B ${(cpu.B / n).toFixed(3)} CPU-ms a query ` +
    `(B/A ${(cpu.B / cpu.A).toFixed(3)}); answers differing: ${differ}`,
);

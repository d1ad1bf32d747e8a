/**
 * In-process A/B of two checkouts' search: `npm run bench -- search-ab TREE_A TREE_B [queries=8000] [rounds=1]`.
 * Each tree's embedded engine and search service run in a child process of their own, each on its
 * own copy of the 1,000,000-customer search database that `bench/http-search.ts` keeps under
 * BENCH_DIR (run that first with BENCH_DIR set, or build it straight from the generator with
 * `bench/search-db.ts`); the http bench's query mix goes through them in
 * blocks of 250, one child at a time (the other waits), the two taking turns at going first, so the
 * machine's drift (±10–50 % between runs minutes apart here) falls on both alike. Prints CPU-ms per
 * query per tree (answer serialised included) and how many answers (results, scores, confidences,
 * matches; not `tookMs`) differ, and how many of those list other customers or another order. Use with `git worktree add` and node_modules linked in.
 *
 * Each tree has a process of its own: in one shared process and heap, whichever was loaded first came
 * out 3–10 % faster (2-vCPU Xeon, 2026-12-01). How far apart one tree comes out against itself:
 * docs/benchmarks.md, "Comparing two trees".
 */
import { type ChildProcess, fork } from "node:child_process";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePortfolio } from "../src/demo/generator.ts";
import { type BenchQuery, benchQueriesOf, HTTP_BENCH_PORTFOLIO } from "./http-queries.ts";

const BLOCK = 250;
const WARMUP = 1500;

interface Search {
  search(input: Record<string, unknown>): Promise<{ tookMs: number }>;
  callers(phone: string): Promise<{ tookMs: number }>;
}

/** A child: one tree's search on its own database copy; runs the blocks it is sent. */
async function child(tree: string, name: string): Promise<void> {
  const source = join(process.env.BENCH_DIR ?? "", "1000000", "data", "search.sqlite");
  const { EmbeddedSearchEngine } = await import(resolve(tree, "src/search/embedded-engine.ts"));
  const { createCustomerSearch } = await import(resolve(tree, "src/search/customer-search-service.ts"));
  const dir = join(tmpdir(), `kh-search-ab-${name}`);
  if (!existsSync(join(dir, "search.sqlite"))) {
    mkdirSync(dir, { recursive: true });
    cpSync(source, join(dir, "search.sqlite"));
  }
  const engine = new EmbeddedSearchEngine({ dataDir: dir, docCache: 100_000 });
  await engine.init();
  const s: Search = createCustomerSearch({ engine });
  let queries: BenchQuery[] = [];
  const run = (q: BenchQuery) =>
    q.path === "/v1/search" ? s.search(q.body) : s.callers(String(q.body.phone));
  const answer = async (q: BenchQuery) => {
    const r = await run(q);
    r.tookMs = 0;
    return JSON.stringify(r);
  };
  process.on(
    "message",
    async (msg: { queries?: BenchQuery[]; warmup?: [number, number]; block?: [number, number] }) => {
      if (msg.queries) {
        queries = msg.queries;
        process.send!({ ready: true });
      } else if (msg.warmup) {
        for (const q of queries.slice(...msg.warmup)) await run(q);
        process.send!({ warm: true });
      } else if (msg.block) {
        const answers: string[] = [];
        const c0 = process.cpuUsage();
        for (const q of queries.slice(...msg.block)) answers.push(await answer(q));
        const c = process.cpuUsage(c0);
        process.send!({ cpuMs: (c.user + c.system) / 1000, answers });
      } else process.exit(0);
    },
  );
  process.send!({ loaded: true });
}

/** The customers an answer lists, in order (what differs beyond scores and confidences). */
const rankingOf = (answer: string) =>
  (JSON.parse(answer) as { results: Array<{ customerId: string }> }).results
    .map((r) => r.customerId)
    .join(",");

/** The next message of `p` (one request at a time). */
function reply<T>(p: ChildProcess): Promise<T> {
  return new Promise((resolve) => p.once("message", (m) => resolve(m as T)));
}

if (process.argv[2] === "--child") await child(process.argv[3]!, process.argv[4]!);
else {
  const [treeA, treeB, count, roundsArg] = process.argv.slice(2);
  if (!treeA || !treeB) throw new Error("usage: search-ab TREE_A TREE_B [queries] [rounds]");
  const n = Number(count ?? 8000);
  const rounds = Number(roundsArg ?? 1);
  const source = join(process.env.BENCH_DIR ?? "", "1000000", "data", "search.sqlite");
  if (!process.env.BENCH_DIR || !existsSync(source))
    throw new Error(`no ${source}: run BENCH_DIR=… node bench/http-search.ts 1000000 first`);

  const queries: BenchQuery[] = [];
  let i = 0;
  for (const row of generatePortfolio({ customers: 1_000_000, ...HTTP_BENCH_PORTFOLIO })) {
    queries.push(...benchQueriesOf(row, i++));
    if (queries.length > n + WARMUP) break;
  }
  const self = fileURLToPath(import.meta.url);
  const children = { A: fork(self, ["--child", treeA, "a"]), B: fork(self, ["--child", treeB, "b"]) };
  // Load one after the other (each builds its index from its database), then hand both the queries.
  for (const k of ["A", "B"] as const) await reply(children[k]);
  for (const k of ["A", "B"] as const) {
    children[k].send({ queries });
    await reply(children[k]);
  }
  // Warm-up on other queries than the measured ones: JIT, document caches, summaries.
  for (const k of ["A", "B"] as const) {
    children[k].send({ warmup: [n, n + WARMUP] });
    await reply(children[k]);
  }
  for (let r = 0; r < rounds; r++) {
    const cpu = { A: 0, B: 0 };
    let differ = 0;
    let reordered = 0;
    for (let b = 0; b < n; b += BLOCK) {
      const order = (b / BLOCK) % 2 === 0 ? (["A", "B"] as const) : (["B", "A"] as const);
      const answers = { A: [] as string[], B: [] as string[] };
      for (const k of order) {
        children[k].send({ block: [b, Math.min(n, b + BLOCK)] });
        const m = await reply<{ cpuMs: number; answers: string[] }>(children[k]);
        cpu[k] += m.cpuMs;
        answers[k] = m.answers;
      }
      for (let j = 0; j < answers.A.length; j++) {
        if (answers.A[j] === answers.B[j]) continue;
        differ++;
        if (rankingOf(answers.A[j]!) !== rankingOf(answers.B[j]!)) reordered++;
      }
    }
    console.log(
      `${n} queries: A ${(cpu.A / n).toFixed(3)} CPU-ms, B ${(cpu.B / n).toFixed(3)} CPU-ms a query ` +
        `(B/A ${(cpu.B / cpu.A).toFixed(3)}); answers differing: ${differ}, of them in the customers listed or their order: ${reordered}`,
    );
  }
  for (const k of ["A", "B"] as const) children[k].send({ done: true });
}

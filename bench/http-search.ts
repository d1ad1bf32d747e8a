/**
 * HTTP search benchmark: `node bench/http-search.ts [customers=100000] [requests=4000] [clients=16]`.
 * The production path: BENCH_STORE=mongodb (MONGODB_URL; a fresh database per run, dropped after) and
 * BENCH_SEARCH=elasticsearch|opensearch (ELASTICSEARCH_URL / OPENSEARCH_URL; index prefix
 * `bench-http-N`, kept with BENCH_DIR). BENCH_INGEST_STORE=sqlite fills the engine through the
 * embedded store where the MongoDB-compatible store cannot take the portfolio in time (FerretDB at
 * 1,000,000): searches are answered from the engine alone, and the service under test still writes
 * its audit records and rate-limit counts to BENCH_STORE.
 * Generates a portfolio, ingests it with `npm run ingest` into a fresh DATA_DIR (SQLite store + embedded
 * engine), starts the service on a free loopback port, mints an agent token, and sends POST /v1/search
 * from `clients` concurrent loops (name + postcode + house number, name + birth date, free text) and
 * POST /v1/callers; prints p50/p95/p99 per endpoint. Bounded: stops after `requests` requests.
 * Also prints CPU-ms per request of the service and of this load generator, and the CPU everything
 * else on the machine used meanwhile (the machine is shared; /proc). BENCH_DIR=/some/dir keeps the
 * ingested data there and reuses it on the next run with the same customers (no generate + ingest).
 *
 * Environment: BENCH_WARMUP (requests sent first and not measured, default 2,000), BENCH_CLIENT
 * (`node-http`, the default, or `raw`: bench/raw-http-client.ts), BENCH_SERVER_NODE_ARGS (node options
 * of the service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), BENCH_SERVER_LOG (a file for the
 * service's output). p50/p95 are also printed per quarter of the run, so a cold start shows.
 * Current figures: docs/benchmarks.md, "Search through HTTP".
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePortfolio, toCsv } from "../src/demo/generator.ts";
import { type BenchQuery, benchQueriesOf, HTTP_BENCH_PORTFOLIO } from "./http-queries.ts";
import { RawHttpClient } from "./raw-http-client.ts";

const [customers = 100_000, requests = 4000, clients = 16] = process.argv.slice(2).map(Number);
// Requests sent (and not measured) before the measured ones, as a running service has seen traffic:
// JIT, the document cache and the index's summaries of common surnames are warm. They are taken from
// the far end of the query list, so no measured query (nor its person) was asked before.
const warmup = Number(process.env.BENCH_WARMUP ?? 2000);
const root = fileURLToPath(new URL("..", import.meta.url));
const keptDir = process.env.BENCH_DIR ? join(process.env.BENCH_DIR, String(customers)) : undefined;
if (keptDir) mkdirSync(keptDir, { recursive: true });
const dir = keptDir ?? mkdtempSync(join(tmpdir(), "kh-http-bench-"));
const storeKind = process.env.BENCH_STORE ?? "sqlite";
const searchKind = process.env.BENCH_SEARCH ?? "embedded";
const ingestStore = process.env.BENCH_INGEST_STORE ?? storeKind;
const mongoDb = `kh_http_bench_${Math.random().toString(16).slice(2, 10)}`;
const mongoUrl = process.env.MONGODB_URL
  ? `${process.env.MONGODB_URL.replace(/\/?$/, "/")}${mongoDb}`
  : undefined;
if ((storeKind === "mongodb" || ingestStore === "mongodb") && !mongoUrl)
  throw new Error("BENCH_STORE=mongodb needs MONGODB_URL");
// Kept data is for one engine and prefix: the embedded database, or a marker beside an engine's index.
const marker = join(dir, "data", searchKind === "embedded" ? "klantherkenning.db" : `indexed-${searchKind}`);
const reuse = keptDir !== undefined && existsSync(marker);
const env = {
  ...process.env,
  DATA_DIR: join(dir, "data"),
  DEMO_DATA: "off",
  LOG_LEVEL: "warn",
  RATE_LIMIT_AGENT_PER_MINUTE: "1000000",
  SEARCH: searchKind,
  SEARCH_INDEX_PREFIX: `bench-http-${customers}`,
};
const ingestEnv = {
  ...env,
  STORE: ingestStore,
  ...(ingestStore === "mongodb" ? { MONGODB_URL: mongoUrl } : {}),
};
const serveEnv = { ...env, STORE: storeKind, ...(storeKind === "mongodb" ? { MONGODB_URL: mongoUrl } : {}) };

const queries: BenchQuery[] = [];
const csvPath = join(dir, "portfolio.csv");
{
  const out = createWriteStream(csvPath);
  let i = 0;
  for (const line of toCsv(
    (function* () {
      for (const row of generatePortfolio({ customers, ...HTTP_BENCH_PORTFOLIO })) {
        queries.push(...benchQueriesOf(row, i++));
        yield row;
      }
    })(),
  )) {
    if (reuse) continue;
    if (!out.write(line)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

const node = process.execPath;
let t0 = performance.now();
const ingest = reuse
  ? { status: 0 }
  : spawnSync(node, ["src/cli/ingest.ts", "--partner", "VOLMACHT-A", "--kind", "full", csvPath], {
      cwd: root,
      env: ingestEnv,
      stdio: ["ignore", "ignore", "inherit"],
    });
if (ingest.status !== 0) throw new Error("ingest failed");
if (!reuse && searchKind !== "embedded") writeFileSync(marker, "");
if (reuse) console.log(`reusing ${dir}`);
else console.log(`ingested ${customers} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const token = execFileSync(node, ["src/cli/token.ts", "--role", "agent", "--sub", "bench"], {
  cwd: root,
  env,
})
  .toString()
  .trim();
const port = 20000 + Math.floor(Math.random() * 20000);
// BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the service itself.
const serverArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
// BENCH_SERVER_LOG=/some/file keeps the service's stdout and stderr (e.g. with `--trace-gc`).
const serverLog = process.env.BENCH_SERVER_LOG ? openSync(process.env.BENCH_SERVER_LOG, "w") : "ignore";
console.log(`service: STORE=${storeKind} SEARCH=${searchKind} (ingested with STORE=${ingestStore})`);
const server = spawn(node, [...serverArgs, "src/main.ts"], {
  cwd: root,
  env: { ...serveEnv, PORT: String(port) },
  stdio: ["ignore", serverLog, serverLog],
});
const base = `http://127.0.0.1:${port}`;
t0 = performance.now();
for (;;) {
  const ready = await fetch(`${base}/health/ready`).then(
    (r) => r.ok,
    () => false,
  );
  if (ready) break;
  if (performance.now() - t0 > 300_000) throw new Error("service did not become ready in 300 s");
  await new Promise((r) => setTimeout(r, 250));
}
console.log(`service ready after ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const latencies: Record<string, number[]> = { "/v1/search": [], "/v1/callers": [] };
let next = 0;
const byQuarter: number[][] = [[], [], [], []];
let failed = 0;
/** Response body bytes per endpoint: the body is encoded, written and read once per request. */
const bodyBytes: Record<string, number> = { "/v1/search": 0, "/v1/callers": 0 };
// The load generator: node:http's Agent on kept-alive connections, one per client (fetch/undici cost
// this generator 0.8-0.9 CPU-ms a request on the 2 cores it shares with the service, node:http
// 0.35-0.57). BENCH_CLIENT=raw uses a lean client over raw TCP connections (bench/raw-http-client.ts,
// 0.16-0.26), but with it the service itself needed more CPU a request (e.g. 1.90-1.91 against 1.64
// CPU-ms, search worker 1.09-1.11 against 0.97, in back-to-back pairs; 2-vCPU Xeon, 2026-12-01) and the machine
// idled more, so it gave no better throughput or p95: node:http stays the default.
const generator = process.env.BENCH_CLIENT ?? "node-http";
if (generator !== "raw" && generator !== "node-http") throw new Error("BENCH_CLIENT is raw or node-http");
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const rawClients: RawHttpClient[] = [];
type Send = (path: string, body: string) => Promise<number>;
function nodeHttpPost(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        res.on("data", (chunk: Buffer) => {
          bodyBytes[path] = (bodyBytes[path] ?? 0) + chunk.length;
        });
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
/** A sender for one client loop. */
function sender(): Send {
  if (generator === "node-http") return nodeHttpPost;
  const raw = new RawHttpClient("127.0.0.1", port, {
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
  });
  rawClients.push(raw);
  return async (path, body) => {
    const answer = await raw.post(path, body);
    bodyBytes[path] = (bodyBytes[path] ?? 0) + answer.bodyBytes;
    return answer.status;
  };
}
async function client(post: Send) {
  for (let n = next++; n < requests; n = next++) {
    const q = queries[n % queries.length]!;
    const started = performance.now();
    const status = await post(q.path, JSON.stringify(q.body));
    if (status < 200 || status >= 300) failed++;
    const ms = performance.now() - started;
    latencies[q.path]!.push(ms);
    if (q.path === "/v1/search") byQuarter[Math.min(3, Math.floor((4 * n) / requests))]!.push(ms);
  }
}
async function warmupClient(post: Send) {
  for (let n = next++; n < warmup; n = next++) {
    const q = queries[queries.length - 1 - (n % Math.max(1, queries.length - requests))]!;
    await post(q.path, JSON.stringify(q.body));
  }
}
// One sender per client loop, the same connection for its warm-up and measured requests.
const senders = Array.from({ length: clients }, sender);
if (warmup > 0) {
  if (queries.length < requests + warmup)
    console.log(`note: only ${queries.length} queries: warm-up and measured ones overlap`);
  t0 = performance.now();
  await Promise.all(senders.map(warmupClient));
  console.log(
    `warm-up: ${warmup} requests (not measured) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  next = 0;
  for (const k of Object.keys(bodyBytes)) bodyBytes[k] = 0;
}
/** CPU ticks (1/100 s) of one process (all its threads), and of the whole machine busy/total. */
const procTicks = (pid: number, path = `/proc/${pid}/stat`) => {
  const f = readFileSync(path, "utf8").split(") ")[1]!.split(" ");
  return Number(f[11]) + Number(f[12]);
};
const machineTicks = () => {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + f[4]!;
  return { busy: f.reduce((a, b) => a + b, 0) - idle, total: f.reduce((a, b) => a + b, 0) };
};
/** CPU ticks of each thread of a process, by thread id and name (`node` is the main thread). */
const threadTicks = (pid: number) => {
  const out = new Map<string, { name: string; ticks: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      out.set(tid, { name, ticks: procTicks(Number(tid), `/proc/${pid}/task/${tid}/stat`) });
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
};
const threads0 = threadTicks(server.pid!);
const server0 = procTicks(server.pid!);
const machine0 = machineTicks();
const client0 = process.cpuUsage();
t0 = performance.now();
await Promise.all(senders.map(client));
const seconds = (performance.now() - t0) / 1000;
const serverMs = (procTicks(server.pid!) - server0) * 10;
const threads1 = threadTicks(server.pid!);
const machine1 = machineTicks();
const clientUsage = process.cpuUsage(client0);
const clientMs = (clientUsage.user + clientUsage.system) / 1000;
const busyMs = (machine1.busy - machine0.busy) * 10;
agent.destroy();
for (const c of rawClients) c.close();
const exited = new Promise((r) => server.once("exit", r));
server.kill("SIGTERM");
// A profile is written as the service exits; wait for it (bounded).
await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
console.log(
  `${customers} customers, ${requests} requests, ${clients} clients (${generator} generator), ${(requests / seconds).toFixed(0)} req/s, ${failed} failed`,
);
console.log(
  `CPU per request: service ${(serverMs / requests).toFixed(2)} ms, load generator ${(clientMs / requests).toFixed(2)} ms; ` +
    `machine busy ${((100 * (machine1.busy - machine0.busy)) / (machine1.total - machine0.total)).toFixed(0)}% ` +
    `of ${seconds.toFixed(1)} s, other processes ${Math.max(0, (busyMs - serverMs - clientMs) / 1000).toFixed(1)} CPU-s`,
);
// The service's busiest threads over the request phase: the HTTP thread is `node`; the search worker,
// libuv's pool and V8's helpers have names of their own.
const byThread = [...threads1]
  .map(([tid, t]) => ({ name: `${t.name}#${tid}`, ms: (t.ticks - (threads0.get(tid)?.ticks ?? 0)) * 10 }))
  .filter((t) => t.ms > 0)
  .sort((a, b) => b.ms - a.ms)
  .slice(0, 5);
console.log(
  `service threads, CPU-ms per request: ${byThread.map((t) => `${t.name} ${(t.ms / requests).toFixed(2)}`).join(", ")}`,
);
for (const [path, xs] of Object.entries(latencies)) {
  xs.sort((a, b) => a - b);
  if (xs.length === 0) continue;
  console.log(
    `${path.padEnd(12)} n=${xs.length}  p50 ${pct(xs, 50).toFixed(1)} ms  p95 ${pct(xs, 95).toFixed(1)} ms  p99 ${pct(xs, 99).toFixed(1)} ms  ` +
      `body ${((bodyBytes[path] ?? 0) / xs.length / 1024).toFixed(1)} KiB`,
  );
}
// A drift over the run (warm-up still going on, or the machine busier) shows here.
console.log(
  `search p50/p95 by quarter of the run: ${byQuarter
    .map((xs) => {
      xs.sort((a, b) => a - b);
      return xs.length > 0 ? `${pct(xs, 50).toFixed(1)}/${pct(xs, 95).toFixed(1)}` : "-";
    })
    .join(", ")} ms`,
);
if (keptDir) rmSync(csvPath, { force: true });
else rmSync(dir, { recursive: true, force: true });
if (!keptDir && searchKind !== "embedded") {
  const { createEngine } = await import("../src/search/create-engine.ts");
  const { parseEnv } = await import("../src/config/env.ts");
  const engine = createEngine(parseEnv(serveEnv)) as {
    dropAll?: () => Promise<void>;
    close(): Promise<void>;
  };
  await engine.dropAll?.();
  await engine.close();
}
if (mongoUrl && (storeKind === "mongodb" || ingestStore === "mongodb")) {
  const { MongoClient } = await import("mongodb");
  const client = new MongoClient(mongoUrl);
  await client.db(mongoDb).dropDatabase();
  await client.close();
}

/**
 * Soak: `node bench/soak.ts [minutes=10] [customers=200000] [rows=200000]` (`npm run bench -- soak`).
 * The service on the embedded default with the base of bench/http-search.ts (`customers` customers;
 * BENCH_DIR keeps it), copied to a scratch directory and started as `npm start` runs it. 16 agents
 * search without pause (16 requests in flight, the http bench's query mix) for `minutes`; after 30 s a
 * `rows`-row full delivery of another partner lands, and a full reindex runs beside it, and again
 * each time one ends, until the time is up; once the delivery has completed, its rows come again
 * as a mutation, in another order each time (another file, so no duplicate; every row confirmed: the
 * same work for the store, no growth), each time the last has completed. Reports failed searches, p50/p95/p99/max per phase, the service's RSS each
 * minute, what landed and was rebuilt, and the machine's load average at start and end.
 */
import { cpSync, createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { generatePortfolio } from "../src/demo/generator.ts";
import { basePortfolio, writePortfolioCsv } from "./base-portfolio.ts";
import { latencySummary, pause, startBenchService } from "./bench-service.ts";
import { benchQueriesOf, HTTP_BENCH_PORTFOLIO } from "./http-queries.ts";

const [minutes = 10, customers = 200_000, rows = 200_000] = process.argv.slice(2).map(Number);
const IN_FLIGHT = 16;
const base = await basePortfolio(customers);
const scratch = mkdtempSync(join(tmpdir(), "kh-soak-"));
const dataDir = join(scratch, "data");
cpSync(join(base.dir, "data"), dataDir, { recursive: true });
const deliveryCsv = join(scratch, "delivery.csv");
await writePortfolioCsv(deliveryCsv, rows, 77, "TUSSEN-B");
const [header, ...deliveryRows] = readFileSync(deliveryCsv, "utf8").trimEnd().split("\n");
/** The delivery's rows in another order: another file (no duplicate), the same rows (no growth). */
const rotated = (round: number) => {
  const at = (round * 7919) % deliveryRows.length;
  writeFileSync(
    deliveryCsv,
    `${[header, ...deliveryRows.slice(at), ...deliveryRows.slice(0, at)].join("\n")}\n`,
  );
};

const queries: Array<{ path: string; body: string }> = [];
let n = 0;
for (const row of generatePortfolio({ ...HTTP_BENCH_PORTFOLIO, customers: Math.min(customers, 50_000) }))
  for (const q of benchQueriesOf(row, n++)) queries.push({ path: q.path, body: JSON.stringify(q.body) });

const env = {
  ...process.env,
  DATA_DIR: dataDir,
  DEMO_DATA: "off",
  LOG_LEVEL: "warn",
  PURGE_SCHEDULE: "off",
  RATE_LIMIT_AGENT_PER_MINUTE: "1000000",
  RATE_LIMIT_ADMIN_PER_MINUTE: "100000",
};
const service = startBenchService(env, { subject: "soak", maxSockets: IN_FLIGHT + 4 });
const { agentToken, adminToken } = service;
/**
 * The agents' searches go over kept-alive connections, busy without pause; the admin's occasional
 * calls each open a connection of their own, so none meets a kept-alive connection the service closed
 * after its idle timeout.
 */
const call = (method: string, path: string, auth: string, body?: string | NodeJS.ReadableStream) =>
  service.call(method, path, auth, body, auth === agentToken);
const rssMiB = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${service.pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : -1;
};

type Phase = "before" | "landing" | "after";
try {
  const readySeconds = await service.ready(900_000);
  await service.registerPartner("TUSSEN-B", "Tussenpersoon B");
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  console.log(`service ready after ${readySeconds.toFixed(1)} s; load average ${loadAtStart}`);

  const start = performance.now();
  const end = start + minutes * 60_000;
  const latencies: Record<Phase, number[]> = { before: [], landing: [], after: [] };
  let phase: Phase = "before";
  let failed = 0;
  const failures: string[] = [];
  let next = 0;
  const agent = async () => {
    while (performance.now() < end) {
      const q = queries[next++ % queries.length]!;
      const t = performance.now();
      try {
        const r = await call("POST", q.path, agentToken, q.body);
        if (r.status !== 200) {
          failed++;
          if (failures.length < 5) failures.push(`${r.status} ${r.text.slice(0, 200)}`);
        }
      } catch (e) {
        failed++;
        if (failures.length < 5) failures.push((e as Error).message);
      }
      latencies[phase].push(performance.now() - t);
    }
  };

  const rss: Array<{ minute: number; rssMiB: number }> = [];
  const sampler = setInterval(
    () => rss.push({ minute: (performance.now() - start) / 60_000, rssMiB: rssMiB() }),
    10_000,
  );

  const work = async () => {
    await pause(30_000);
    phase = "landing";
    let deliveries = 0;
    let reindexes = 0;
    let firstDeliverySeconds = 0;
    const deliver = async (kind: "full" | "mutation") => {
      const t = performance.now();
      const r = await call(
        "POST",
        `/v1/deliveries?partner=TUSSEN-B&kind=${kind}`,
        adminToken,
        createReadStream(deliveryCsv),
      );
      if (r.status !== 202) throw new Error(`delivery refused: ${r.status} ${r.text}`);
      const id = (JSON.parse(r.text) as { id: string }).id;
      for (;;) {
        const d = JSON.parse((await call("GET", `/v1/deliveries/${id}`, adminToken)).text) as {
          status: string;
        };
        if (d.status === "failed") throw new Error(`delivery failed: ${JSON.stringify(d)}`);
        if (d.status === "completed") break;
        await pause(1000);
      }
      deliveries++;
      return (performance.now() - t) / 1000;
    };
    const reindex = async () => {
      const r = await call("POST", "/v1/jobs", adminToken, JSON.stringify({ type: "reindex" }));
      const id = (JSON.parse(r.text) as { id: string }).id;
      for (;;) {
        const j = JSON.parse((await call("GET", `/v1/jobs/${id}`, adminToken)).text) as { status: string };
        if (j.status === "failed") throw new Error(`reindex failed: ${JSON.stringify(j)}`);
        if (j.status === "completed") break;
        await pause(1000);
      }
      reindexes++;
    };
    const reindexing = (async () => {
      while (performance.now() < end) await reindex();
    })();
    firstDeliverySeconds = await deliver("full");
    phase = "after";
    for (let round = 1; performance.now() < end - 30_000; round++) {
      rotated(round);
      await deliver("mutation");
    }
    await reindexing;
    return { deliveries, reindexes, firstDeliverySeconds };
  };

  const [outcome] = await Promise.all([work(), ...Array.from({ length: IN_FLIGHT }, agent)]);
  clearInterval(sampler);

  const all = [...latencies.before, ...latencies.landing, ...latencies.after];
  for (const [name, a] of [...Object.entries(latencies), ["all", all]] as Array<[string, number[]]>)
    console.log(`${name.padEnd(8)} searches ${String(a.length).padStart(7)}  ${latencySummary(a)}`);
  console.log(`failed searches: ${failed}${failures.length ? ` (${failures.join(" | ")})` : ""}`);
  console.log(
    `first ${rows}-row delivery ${outcome.firstDeliverySeconds.toFixed(1)} s; deliveries completed ${outcome.deliveries}, reindexes completed ${outcome.reindexes}`,
  );
  const perMinute = new Map<number, number>();
  for (const s of rss)
    perMinute.set(Math.floor(s.minute), Math.max(perMinute.get(Math.floor(s.minute)) ?? 0, s.rssMiB));
  console.log(
    `service RSS, highest per minute (MiB): ${[...perMinute.entries()].map(([m, v]) => `${m}: ${v}`).join(", ")}`,
  );
  console.log(
    `load average at start ${loadAtStart}, at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
} finally {
  await service.stop();
  rmSync(scratch, { recursive: true, force: true });
  base.dispose();
}

/**
 * Search while a delivery lands: `node bench/search-during-ingest.ts [customers=100000] [rows=100000]`.
 * Builds (or, with BENCH_DIR, reuses — the same layout as bench/http-search.ts) a service with
 * `customers` customers on the embedded default, copies its data to a scratch directory, starts the
 * service, and has one agent search every 20 ms: for 5 s with nothing else going on, then while a
 * `rows`-row delivery of another partner (TUSSEN-B, mutation) goes through POST /v1/deliveries until it is
 * `completed`. Prints p50/p95/p99/max of both phases, failed searches, and the delivery's duration.
 * Current figures: docs/benchmarks.md, "Search while a delivery lands".
 */
import { cpSync, createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePortfolio } from "../src/demo/generator.ts";
import { basePortfolio, writePortfolioCsv } from "./base-portfolio.ts";
import { latencySummary, pause, startBenchService } from "./bench-service.ts";

const [customers = 100_000, rows = 100_000] = process.argv.slice(2).map(Number);
const base = await basePortfolio(customers);
const scratch = mkdtempSync(join(tmpdir(), "kh-during-"));
const env = {
  ...process.env,
  DEMO_DATA: "off",
  LOG_LEVEL: "warn",
  RATE_LIMIT_AGENT_PER_MINUTE: "1000000",
};

const dataDir = join(scratch, "data");
cpSync(join(base.dir, "data"), dataDir, { recursive: true });
const deliveryCsv = join(scratch, "delivery.csv");
await writePortfolioCsv(deliveryCsv, rows, 42, "TUSSEN-B");

// Queries of the kinds agents type, for people of the base portfolio.
const queries: string[] = [];
let i = 0;
for (const row of generatePortfolio({ customers: 20_000, seed: 4242, partners: ["VOLMACHT-A"] })) {
  if (i++ % 50 !== 0 || row.person.kind !== "P") continue;
  const p = row.person;
  const surname = [p.tussenvoegsel, p.surname].filter(Boolean).join(" ");
  queries.push(
    JSON.stringify({ q: `${surname} ${p.postcode.replace(" ", "").toLowerCase()} ${p.houseNumber}` }),
  );
  if (p.birthDate)
    queries.push(
      JSON.stringify({ q: `${p.initials} ${surname} ${p.birthDate.split("-").reverse().join("-")}` }),
    );
}

const service = startBenchService({ ...env, DATA_DIR: dataDir }, { subject: "bench", maxSockets: 4 });
const { agentToken, adminToken, call } = service;

try {
  console.log(`service ready after ${(await service.ready(600_000)).toFixed(1)} s`);
  await service.registerPartner("TUSSEN-B", "Tussenpersoon B");

  let next = 0;
  let failed = 0;
  const searchUntil = async (done: () => boolean): Promise<number[]> => {
    const out: number[] = [];
    while (!done()) {
      const started = performance.now();
      const r = await call("POST", "/v1/search", agentToken, queries[next++ % queries.length]!);
      if (r.status !== 200) failed++;
      out.push(performance.now() - started);
      await pause(20);
    }
    return out;
  };
  const idleEnd = performance.now() + 5000;
  const idle = await searchUntil(() => performance.now() > idleEnd);
  const idleFailed = failed;

  let settled = false;
  const deliveryStarted = performance.now();
  const during = searchUntil(() => settled);
  const submitted = await call(
    "POST",
    "/v1/deliveries?partner=TUSSEN-B&kind=mutation",
    adminToken,
    createReadStream(deliveryCsv),
  );
  if (submitted.status !== 202) throw new Error(`delivery refused: ${submitted.status} ${submitted.text}`);
  const id = (JSON.parse(submitted.text) as { id: string }).id;
  let final: { status: string; counts: unknown } | undefined;
  while (!final) {
    const d = JSON.parse((await call("GET", `/v1/deliveries/${id}`, adminToken)).text) as {
      status: string;
      counts: unknown;
    };
    if (d.status === "completed" || d.status === "failed") final = d;
    else await pause(500);
  }
  settled = true;
  const duringLatencies = await during;
  const seconds = (performance.now() - deliveryStarted) / 1000;

  const line = (name: string, a: number[], f: number) =>
    console.log(
      `${name.padEnd(16)} searches ${String(a.length).padStart(5)}  failed ${f}  ${latencySummary(a)}`,
    );
  line("idle", idle, idleFailed);
  line("during delivery", duringLatencies, failed - idleFailed);
  console.log(
    `delivery of ${rows} rows: ${final.status} ${JSON.stringify(final.counts)} in ${seconds.toFixed(1)} s`,
  );
} finally {
  await service.stop();
  rmSync(scratch, { recursive: true, force: true });
  base.dispose();
}

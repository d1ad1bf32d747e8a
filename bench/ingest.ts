/**
 * Ingest benchmark: `node bench/ingest.ts [--rows 1000000] [--store sqlite,mongodb]
 * [--search embedded|worker|none|elasticsearch|opensearch] [--csv PATH] [--redeliver]
 * [--format csv|nvga-polis]`. `--format nvga-polis` writes and delivers the same portfolio as an NVGA
 * File Polis (XML, src/demo/generator-nvga.ts) instead of a standaard CSV.
 * `--store` names the stores to run (default: sqlite, and mongodb when MONGODB_URL is set);
 * `--search elasticsearch|opensearch` indexes into the engine at ELASTICSEARCH_URL / OPENSEARCH_URL
 * (a fresh index prefix per run, dropped after), so the figure is the production path's: until every
 * accepted row is stored and searchable there. BENCH_ENGINE_PIDS=pid,pid (the search engine's and the
 * document store's processes, e.g. `pgrep -f ElasticsearchNode`) adds the CPU seconds they spent per
 * delivery (`engineCpuSeconds`): on a shared machine, the work itself beside the wall time.
 * Generates a synthetic standaard CSV (src/demo/generator.ts) into a temp file, then ingests it as one
 * full delivery in a fresh child process per store — SQLite always, MongoDB/FerretDB when MONGODB_URL
 * is set — and reports rows/s and the child's peak RSS. `--search embedded` (default) indexes into the
 * real embedded search engine, so the figure is "until every accepted row is searchable" (`worker`: the
 * same engine on its own thread, as the service runs it);
 * `--search none` measures the store alone and says so.
 *
 * `--csv PATH` keeps the generated file there and reuses it on the next run with the same --rows
 * (generating 1,000,000 rows takes a while). `--redeliver` then delivers the same portfolio again a
 * month later, timed on its own (1 % of the policies left out, 5 % with another e-mail): the usual
 * delivery of a partner once onboarded. BENCH_BATCH sets the accepted rows per store transaction
 * (default the intake's 25,000). The child applies src/heap-growth.ts as the service does. Run it with
 * `nice -n 10` on a shared machine and report CPU seconds beside the wall time.
 * Current figures: docs/benchmarks.md, "Ingest".
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generatePortfolio, toCsv } from "../src/demo/generator.ts";
import { toNvgaXml } from "../src/demo/generator-nvga.ts";
import { tightenHeapGrowth } from "../src/heap-growth.ts";
import type { Indexer } from "../src/indexer/indexer.ts";
import { createIndexer, ENGINE_BULK_DOCS } from "../src/indexer/indexer.ts";
import { createDeliveryIntake } from "../src/ingest/delivery-intake.ts";
import { createPartnerRegistry } from "../src/partners/partner-registry.ts";
import { createElasticsearchEngine, createOpenSearchEngine } from "../src/search/elastic-engine.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import type { SearchEngine } from "../src/search/search-engine.ts";
import { WorkerSearchEngine } from "../src/search/worker-engine.ts";
import { MongoStore } from "../src/store/mongo-store.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import type { Store } from "../src/store/store.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    store: { type: "string" },
    search: { type: "string", default: "embedded" },
    child: { type: "string" },
    file: { type: "string" },
    dir: { type: "string" },
    csv: { type: "string" },
    // A second full delivery of the same portfolio a month later (the monthly re-delivery), timed
    // on its own: 1 % of the policies left out (ended), 5 % with another e-mail, the rest unchanged.
    redeliver: { type: "boolean", default: false },
    second: { type: "string" },
    format: { type: "string", default: "csv" },
  },
});

/** Writes `rows` generated rows of one partner's portfolio (VOLMACHT-A, delivered as one full file) to `path`. */
async function generate(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  const nvga = values.format === "nvga-polis";
  const portfolio = generatePortfolio({ customers: rows, seed: 42, partners: ["VOLMACHT-A"] });
  // One line per row after the header (CSV: 1 line; NVGA: 5 lines); the NVGA file's closing tag is
  // written after the loop.
  let written = nvga ? -5 : -1;
  let buffer = "";
  const lines = nvga
    ? toNvgaXml(portfolio, { referenceDate: "2026-10-31", porCode: "N013", sender: "Volmacht A" })
    : toCsv(portfolio);
  let cut = false;
  for (const line of lines) {
    if (written++ >= rows) {
      cut = true;
      break;
    }
    buffer += line;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once("drain", () => r()));
      buffer = "";
    }
  }
  out.write(nvga && cut ? `${buffer}</NVGAFilePolis>\n` : buffer);
  await new Promise<void>((resolve, reject) => out.end((err?: Error) => (err ? reject(err) : resolve())));
  return Math.min(written, rows);
}

/**
 * Writes the month-later portfolio of --redeliver: every 100th row left out, every 20th with another
 * e-mail address, the rest as delivered. Lines with a quote are copied as they are (not split).
 */
async function redelivery(
  from: string,
  to: string,
): Promise<{ rows: number; left: number; changed: number }> {
  const out = createWriteStream(to);
  const lines = createInterface({ input: createReadStream(from), crlfDelay: Number.POSITIVE_INFINITY });
  let n = -1;
  let email = -1;
  let left = 0;
  let changed = 0;
  let buffer = "";
  const nvga = values.format === "nvga-polis";
  for await (const line of lines) {
    let text = line;
    if (nvga) {
      // One policy a line (<PP>…</PP>); the header and closing lines are copied.
      if (!line.startsWith("<PP>")) {
        buffer += `${line}\n`;
        continue;
      }
      if (++n % 100 === 0) {
        left++;
        continue;
      }
      if (n % 20 === 0 && line.includes("<VP_EMAIL>")) {
        text = line.replace(/<VP_EMAIL>[^<]*</, `<VP_EMAIL>verhuisd.${n}@nieuw.example<`);
        changed++;
      }
      buffer += `${text}\n`;
      continue;
    }
    if (n++ === -1) email = line.split(";").indexOf("email");
    else if (n % 100 === 0) {
      left++;
      continue;
    } else if (n % 20 === 0 && email >= 0 && !line.includes('"')) {
      const cells = line.split(";");
      cells[email] = `verhuisd.${n}@nieuw.example`;
      text = cells.join(";");
      changed++;
    }
    buffer += `${text}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once("drain", () => r()));
      buffer = "";
    }
  }
  out.write(buffer);
  await new Promise<void>((resolve, reject) => out.end((err?: Error) => (err ? reject(err) : resolve())));
  return { rows: (nvga ? n + 1 : n) - left, left, changed };
}

/** Only in --search none mode: an Indexer that indexes nothing, so the figure is the store's alone. */
const storeOnly: Indexer = {
  indexCustomers: async () => {},
  indexRecords: async () => {},
  removeCustomers: async () => {},
  reindexAll: async () => {},
  reconcile: async () => ({ storeCount: 0, indexCount: 0, sampled: 0, mismatched: [], ok: true }),
};

async function child(kind: string, file: string, dir: string): Promise<void> {
  // As the service and the ingest CLI run (src/heap-growth.ts).
  tightenHeapGrowth();
  const store: Store =
    kind === "mongodb"
      ? new MongoStore({
          url: process.env.MONGODB_URL!,
          dbName: `kh_bench_${randomBytes(4).toString("hex")}`,
        })
      : new SqliteStore({ dataDir: dir });
  await store.init();
  await createPartnerRegistry(store).put("VOLMACHT-A", {
    name: "Volmacht A",
    type: "volmacht",
    phase: "live",
    agreementSignedOn: "2025-01-01",
    holdThresholdPercent: 20,
  });
  // `worker` is the service's default: the embedded engine on its own thread (src/compose.ts).
  const prefix = `bench-${randomBytes(4).toString("hex")}`;
  const engine: (SearchEngine & { dropAll?: () => Promise<void> }) | null =
    values.search === "embedded"
      ? new EmbeddedSearchEngine({ dataDir: join(dir, "search") })
      : values.search === "worker"
        ? new WorkerSearchEngine({ dataDir: join(dir, "search") })
        : values.search === "elasticsearch"
          ? createElasticsearchEngine(process.env.ELASTICSEARCH_URL!, { prefix })
          : values.search === "opensearch"
            ? createOpenSearchEngine(process.env.OPENSEARCH_URL!, { prefix })
            : null;
  await engine?.init();
  const external = values.search === "elasticsearch" || values.search === "opensearch";
  const indexer = engine
    ? createIndexer({ store, engine, ...(external ? { batchSize: ENGINE_BULK_DOCS } : {}) })
    : storeOnly;
  const intake = createDeliveryIntake({
    store,
    indexer,
    porCodes: ["N013"],
    ...(process.env.BENCH_BATCH ? { batchSize: Number(process.env.BENCH_BATCH) } : {}),
  });
  const enginePids = (process.env.BENCH_ENGINE_PIDS ?? "").split(",").filter(Boolean).map(Number);
  /**
   * CPU seconds the engine processes have used so far: their own (all threads) and their children's
   * that have ended (PostgreSQL's connection processes, counted once a connection closes).
   */
  const engineCpu = () =>
    enginePids.reduce((sum, pid) => {
      const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return sum + (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
    }, 0);
  /** One full delivery of `path`, timed until settled. */
  const deliver = async (path: string, receivedAt?: string) => {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const engineBefore = engineCpu();
    const d = await intake.submit({
      partner: "VOLMACHT-A",
      kind: "full",
      format: values.format === "nvga-polis" ? "nvga-polis" : "csv",
      profile: values.format === "nvga-polis" ? "nvga-polis" : "standaard",
      channel: values.format === "nvga-polis" ? "polischeck" : "upload",
      ...(receivedAt ? { receivedAt } : {}),
      body: createReadStream(path, { highWaterMark: 1 << 20 }),
    });
    const done = await intake.whenSettled(d.id);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      status: done.status,
      failure: done.failure,
      counts: done.counts,
      seconds: Number(seconds.toFixed(1)),
      rowsPerSecond: Math.round(done.counts.accepted / seconds),
      // On a shared machine wall time includes waiting for a core; CPU time shows the work itself.
      cpuSeconds: Number(cpuSeconds.toFixed(1)),
      rowsPerCpuSecond: Math.round(done.counts.accepted / cpuSeconds),
      ...(enginePids.length > 0 ? { engineCpuSeconds: Number((engineCpu() - engineBefore).toFixed(1)) } : {}),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  };
  const first = await deliver(file);
  const second = values.second
    ? await deliver(values.second, new Date(Date.now() + 31 * 86_400_000).toISOString())
    : undefined;
  const customers = await store.countCustomers();
  const indexed = engine ? await engine.count() : undefined;
  if (store instanceof MongoStore) await store.dropDatabase();
  await engine?.dropAll?.();
  await engine?.close();
  await store.close();
  const result = {
    store: kind,
    search: values.search,
    ...first,
    customers,
    ...(indexed !== undefined ? { indexed } : {}),
    ...(second ? { redelivery: second } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  if (values.child) return child(values.child, values.file!, values.dir!);
  const rows = Number(values.rows);
  const dir = await mkdtemp(join(tmpdir(), "kh-bench-"));
  try {
    // --csv PATH keeps the generated file there and reuses it on the next run (same --rows).
    const file = values.csv ?? join(dir, values.format === "nvga-polis" ? "portfolio.xml" : "portfolio.csv");
    const kept = values.csv !== undefined && (await stat(file).catch(() => null)) !== null;
    const t0 = performance.now();
    const written = kept ? rows : await generate(file, rows);
    const mib = ((await stat(file)).size / 1024 ** 2).toFixed(0);
    process.stderr.write(
      kept
        ? `reusing ${file} (${mib} MiB)\n`
        : `generated ${written} rows (${mib} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    const second = values.redeliver
      ? join(dir, `portfolio-next-month.${values.format === "nvga-polis" ? "xml" : "csv"}`)
      : undefined;
    if (second) {
      const r = await redelivery(file, second);
      process.stderr.write(
        `re-delivery: ${r.rows} rows (${r.left} policies left out, ${r.changed} with another e-mail)\n`,
      );
    }
    const stores = values.store?.split(",") ?? ["sqlite", ...(process.env.MONGODB_URL ? ["mongodb"] : [])];
    for (const [name, need] of [
      ["elasticsearch", "ELASTICSEARCH_URL"],
      ["opensearch", "OPENSEARCH_URL"],
    ] as const)
      if (values.search === name && !process.env[need]) throw new Error(`--search ${name} needs ${need}`);
    if (stores.includes("mongodb") && !process.env.MONGODB_URL)
      throw new Error("--store mongodb needs MONGODB_URL");
    for (const kind of stores) {
      const run = spawnSync(
        process.execPath,
        [
          fileURLToPath(import.meta.url),
          "--child",
          kind,
          "--file",
          file,
          "--dir",
          join(dir, kind),
          "--search",
          values.search!,
          "--format",
          values.format!,
          ...(second ? ["--second", second] : []),
        ],
        { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 1 << 24 },
      );
      process.stdout.write(run.stdout || `${JSON.stringify({ store: kind, error: `exit ${run.status}` })}\n`);
    }
    if (values.search === "none")
      process.stderr.write("NOTE: --search none: store only, nothing was indexed\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

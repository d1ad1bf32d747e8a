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
 * Measured 2026-11-25 on the shared 2-core build machine (load 1.5–3 from other work), SQLite child
 * (big deliveries parse on a worker thread, so CPU seconds exceed wall seconds):
 * - before the store work (c0dfeb5), --search none: 200,000 rows 9,736 rows/s, peak RSS 533 MiB;
 *   1,000,000 rows 6,290 rows/s, 820 MiB
 * - after, --search none: 200,000 rows 13,890–14,698 rows/s, 564–709 MiB;
 *   1,000,000 rows 9,339–10,349 rows/s, 742–851 MiB
 * - after, --search embedded (with that day's engine): 200,000 rows 8,748 rows/s, 827 MiB;
 *   1,000,000 rows 6,559 rows/s, 1,584 MiB — the target (20,000 rows/s, < 1 GiB) is not met yet
 * Where the writing thread's time went at 1,000,000 rows then: about 40 % SQLite commits (each 5,000-row
 * batch dirtied ~14,000 random identity-key and policy-index pages, written to the WAL and later
 * checkpointed), 30 % statements, the rest resolving customers and policy history.
 * Session 2 (same machine, ferretdb busy beside it), 1,000,000 rows, --search none: 25,000-row batches
 * 8,609 -> 11,447 rows/s; parse worker a batch ahead 11,728; and 8 chunks asked ahead 15,766 (965 MiB);
 * hashed identity keys with 16-byte ids 17,066 rows/s, 1,044 MiB. --search embedded 6,421 -> 10,820
 * rows/s, 1,568 -> 1,292 MiB; --search worker 11,549 rows/s, 1,643 MiB. Without WAL checkpoints during
 * the run (an experiment) it was slower, 11,702 rows/s: the commits' cost is writing the WAL itself.
 * 50,000-row batches: 12,179 rows per CPU-second (10,658 at 25,000) but 1,385 MiB peak.
 *
 * MongoDB child on FerretDB 1.24.2 (SQLite backend, scripts/engines.sh), --search none, same machine
 * and load. FerretDB reads no index (only `{_id: string}` reaches SQLite, and SQLite scans that too),
 * so every look-up costs a scan and ingest slows as the store grows; see src/store/mongo-lookup.ts.
 * - before (store code of 471292a, today's intake): 20,000 rows in 5,000-row batches 337 rows/s,
 *   359 MiB; in one 25,000-row batch (the default) 1,831 rows/s, 407 MiB
 * - after (customer_keys by `_id`, scans filtered in Node, insert-first writes): 20,000 rows in
 *   5,000-row batches 1,225–1,269 rows/s, 404–453 MiB; default 2,450–2,578 rows/s, 413–429 MiB;
 *   100,000 rows (default) 768–891 rows/s, 1,044–1,067 MiB (load 2–4)
 * - a second delivery over the same 20,000 customers: ~25 s per 5,000-row batch of store calls
 *   (~200 rows/s); before, it hung (one update command of more than ~100 replacements)
 * Real MongoDB 8 was not available here; there the adapter uses `$in` on `_id` and bulk writes.
 *
 * Session 3, 2026-12-01, another machine (Intel Xeon 2.0 GHz, 2 vCPUs, quiet, speed drifting by up to a
 * third between runs minutes apart), 1,000,000 rows, SQLite child, `--csv` reusing one file:
 * - --search none, session-start tree: 10,386–12,400 rows/s (80.6–96.3 s, 125–151 CPU-s), peak RSS
 *   1,002–1,120 MiB; with keys and policies written in index order: 9,964–16,408 rows/s (60.9–100.4 s,
 *   93–158 CPU-s), 968–1,110 MiB. Alternating runs of both trees overlap: the gain is not shown here.
 * - --search worker: 7,463 rows/s (134 s, 226 CPU-s), 1,678 MiB. Profile (CPU-s of 160 s profiled): the
 *   writing thread 93 % busy — store ~48 %, posting documents to the search worker 10 %, projecting them
 *   ~12 %; the search worker idles 64 %, the parse worker 50 %.
 * - store only, main thread sampled every 200 ms: heap used at most 453–527 MiB, heap total 542–613 MiB,
 *   array buffers 86–87 MiB; after a forced full collection every 3 s (--expose-gc, an experiment) the
 *   live heap was at most 100 MiB and peak RSS 818 MiB.
 *
 * Session 6, same Xeon, 2026-12-01, 1,000,000 rows, --search none, `--csv` reusing one file:
 * - session start (0649408): 99.1-107.8 s (9,273-10,093 rows/s), 164-180 CPU-s, 1,113-1,163 MiB
 * - after the parse worker's ASCII shortcuts and JSON row batches (27a224b): 92.3-97.5 s
 *   (10,257-10,830 rows/s), 148-158 CPU-s, 1,095-1,184 MiB; the writing thread ~98 % busy
 * - tried and reverted: identity keys merged from a small table (114.6 s against 97.3 s), upserts of
 *   64 rows a statement (no gain); `--max-old-space-size=384` on the child: 739 MiB but 110.3 s
 * - --search worker, 27a224b: 161.9-166.4 s (6,009-6,175 rows/s), 244-246 CPU-s, 1,624-1,665 MiB;
 *   search documents sent as JSON (tried, reverted): 162.6-166.2 s, 240-245 CPU-s, 1,586-1,630 MiB
 *
 * Session 9, same Xeon, 2026-12-01, 1,000,000 rows, --search none, `--csv` reusing one file, runs
 * alternating with the session-start tree 4a718cc (13 runs of it: 78.5-113.0 s, 1,070-1,199 MiB):
 * - final (fb38ea2-11cd7e9: lighter write path, key filters, heap growth cap): 66.4-93.1 s
 *   (10,736-15,067 rows/s), 117-156 CPU-s, 875-934 MiB; pairs final/start 78.3/95.4, 80.4/78.5,
 *   66.4/80.8, 93.1/113.0, 83.9/103.4, 78.3/90.7 s
 * - BENCH_BATCH=50000: 76.8 s against 84.1 s at 25,000, but 1,182 MiB (not the default)
 * - --search worker, final: 157.6 s (6,345 rows/s), 240 CPU-s, 1,397 MiB
 * The child applies src/heap-growth.ts as the service does; without it peak RSS was 1,087 MiB.
 *
 * Session 11, same Xeon, 2026-12-02, 1,000,000 rows, `--csv` reusing one file, alternating with the
 * session-start tree f010aec (our CSV record reader, rows sent as arrays of values, one Set fewer a row):
 * - --search none: 62.9-71.8 s (13,931-15,894 rows/s), 104-118 CPU-s, 831-874 MiB; start 70.1-71.8 s
 *   (13,923-14,275 rows/s), 122-126 CPU-s, 870-899 MiB; pairs final/start 68.8/70.5, 62.9/71.8, 71.8/70.1
 * - --search worker, two pairs (final/start, then start/final): 114.6/141.3 s and 131.6/139.1 s, i.e.
 *   7,596-8,723 against 7,079-7,191 rows/s, 170.9-194.9 against 215.2-218.5 CPU-s, peak RSS 1,303-1,348
 *   against 1,322-1,333 MiB: with three busy threads on two cores, the CPU saved shows in the wall time
 *
 * Session 12, 2026-12-07, a third machine (Intel Xeon, KVM, 2 vCPUs, 2.6 GHz base, AVX-512/AMX), 1,000,000
 * rows, `--csv` reusing one file, alternating with the session-start tree e037faa:
 * - --search none, first load: final 43.7-44.8 s (22,323-22,900 rows/s), 69.7-70.8 CPU-s, 836-883 MiB;
 *   start 42.1-44.0 s (22,724-23,770 rows/s), 65.8-69.6 CPU-s, 828-876 MiB (6 runs each; the 20,000
 *   rows/s target is met on this machine)
 * - --redeliver (990,000 rows a month later: 1 % left out, 4 % another e-mail), store only: final
 *   73.0-74.7 s against 82.5-86.0 s for the start tree in the same (slow) phase, 966-992 MiB
 * - --search worker --redeliver: start tree first load 85.0 s, re-delivery 241.9 s (4,092 rows/s, 297
 *   CPU-s, every customer indexed again); final 80.8-92.0 s and 81.6-88.5 s (11,192-12,129 rows/s,
 *   111-119 CPU-s), as only customers whose search document may change are indexed. Peak RSS 2,177-2,236
 *   MiB in the re-delivery, ~820 MiB of it the search database's memory map (file-backed)
 * - MongoDB child on FerretDB 1.24.2, --rows 20000 --redeliver: 2,445 rows/s, re-delivery 303 rows/s
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

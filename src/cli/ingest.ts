import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { createInstanceId } from "../cluster/instance-id.ts";
import { createLeaseKeeper } from "../cluster/lease-keeper.ts";
import { EnvError, parseEnv } from "../config/env.ts";
import { AppError } from "../domain/errors.ts";
import { DeliveryFormat } from "../domain/partner.ts";
import { tightenHeapGrowth } from "../heap-growth.ts";
import { createIndexer, ENGINE_BULK_DOCS } from "../indexer/indexer.ts";
import { createDeliveryIntake } from "../ingest/delivery-intake.ts";
import { defaultProfileFor } from "../ingest/read-delivery.ts";
import { createEngine } from "../search/create-engine.ts";
import { createStore } from "../store/create-store.ts";
import { lockDataDir } from "../store/data-dir-lock.ts";
import { privateUmask, protectDataDir } from "../store/data-dir-permissions.ts";

/** The part of cli-progress we use (the package ships no types). */
interface Bar {
  start(total: number, value: number, payload: Record<string, unknown>): void;
  update(value: number, payload: Record<string, unknown>): void;
  setTotal(total: number): void;
  stop(): void;
}
const { SingleBar } = createRequire(import.meta.url)("cli-progress") as {
  SingleBar: new (options: Record<string, unknown>) => Bar;
};

const USAGE =
  "usage: npm run ingest -- --partner P --kind full|mutation [--format csv|jsonl|nvga-polis] [--profile NAME] FILE";

function fail(message: string): never {
  process.stderr.write(`ingest: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/**
 * The bar's total, an estimate: line breaks (quoted fields may hold some), or for an NVGA File Polis
 * the policies' closing tags `</PP>` (one cut across two chunks is missed).
 */
async function countRecords(path: string, format: string): Promise<number> {
  const mark = format === "nvga-polis" ? Buffer.from("</PP>") : Buffer.from("\n");
  let records = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(mark); i !== -1; i = chunk.indexOf(mark, i + mark.length)) records++;
  }
  return records;
}

/**
 * `npm run ingest`: takes a large local delivery file into the configured store and search engine,
 * with a progress bar (rows/s) on stderr; prints the final delivery record as JSON on stdout.
 */
async function main(): Promise<void> {
  tightenHeapGrowth();
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      partner: { type: "string" },
      kind: { type: "string" },
      format: { type: "string", default: "csv" },
      profile: { type: "string" },
    },
  });
  const file = positionals[0];
  if (!values.partner) fail("--partner is required");
  if (values.kind !== "full" && values.kind !== "mutation") fail("--kind must be full or mutation");
  const format = DeliveryFormat.safeParse(values.format);
  if (!format.success) fail("--format must be csv, jsonl or nvga-polis");
  if (!file || positionals.length > 1) fail("name exactly one FILE");
  const size = await stat(file).then(
    (s) => s.size,
    () => fail(`cannot read ${file}`),
  );

  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv();
  } catch (err) {
    if (err instanceof EnvError) fail(err.message);
    throw err;
  }
  privateUmask();
  await protectDataDir(env.DATA_DIR);
  // The embedded store and engine are one process's: not while the service (or another CLI) has them.
  let lock: ReturnType<typeof lockDataDir> | undefined;
  if (env.STORE === "sqlite" || env.SEARCH === "embedded") {
    try {
      lock = lockDataDir(env.DATA_DIR);
    } catch (err) {
      if (err instanceof AppError) fail(err.message);
      throw err;
    }
  }
  const store = createStore(env);
  const engine = createEngine(env);
  await store.init();
  await engine.init();
  // On a store several instances share, the CLI is one more: it processes under the intake lease.
  const leases =
    store.kind === "mongodb"
      ? createLeaseKeeper({
          leases: store.leases,
          owner: `cli:${createInstanceId()}`,
          ttlMs: env.LEASE_TTL_MS,
        })
      : undefined;
  const indexer = createIndexer({
    store,
    engine,
    dataDir: env.DATA_DIR,
    ...(leases ? { leases } : {}),
    ...(env.SEARCH === "embedded" ? {} : { batchSize: ENGINE_BULK_DOCS }),
  });

  const bar = new SingleBar({
    format: "{bar} {percentage}% | {value}/{total} rows | {speed} rows/s | {rejected} rejected",
    stream: process.stderr,
    hideCursor: true,
  });
  const started = performance.now();
  bar.start(Math.max(1, await countRecords(file, format.data)), 0, { speed: 0, rejected: 0 });
  const intake = createDeliveryIntake({
    store,
    indexer,
    porCodes: env.porCodes,
    ...(leases ? { leases } : {}),
    onProgress: (_id, counts) => {
      const seconds = (performance.now() - started) / 1000;
      bar.update(counts.rows, { speed: Math.round(counts.rows / seconds), rejected: counts.rejected });
    },
  });
  try {
    const submitted = await intake.submit({
      partner: values.partner,
      kind: values.kind,
      format: format.data,
      profile: values.profile ?? defaultProfileFor(format.data),
      channel: "upload",
      submittedBy: "cli",
      body: createReadStream(file, { highWaterMark: 1 << 20 }),
    });
    const done = await intake.whenSettled(submitted.id);
    bar.setTotal(Math.max(1, done.counts.rows));
    bar.update(done.counts.rows, {
      speed: Math.round(done.counts.rows / ((performance.now() - started) / 1000)),
      rejected: done.counts.rejected,
    });
    bar.stop();
    process.stdout.write(`${JSON.stringify(done, null, 2)}\n`);
    process.stderr.write(`${size} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    if (done.status === "held")
      process.stderr.write(
        `held: ${done.hold?.reason}; an admin releases or rejects it (POST /v1/deliveries/${done.id}/release|reject)\n`,
      );
    process.exitCode = done.status === "failed" ? 1 : 0;
  } catch (err) {
    bar.stop();
    if (err instanceof AppError) fail(`${err.code}: ${err.message}`);
    throw err;
  } finally {
    await intake.close();
    await leases?.close();
    await engine.close();
    await store.close();
    lock?.release();
  }
}

await main();

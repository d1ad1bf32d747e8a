import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { loadOrCreateDevKeys, mintDevToken } from "../api/auth/dev-keys.ts";
import { createInstanceId } from "../cluster/instance-id.ts";
import { createLeaseKeeper } from "../cluster/lease-keeper.ts";
import { type Env, parseEnv } from "../config/env.ts";
import { AppError } from "../domain/errors.ts";
import type { Delivery } from "../domain/model.ts";
import { DeliveryFormat } from "../domain/partner.ts";
import { tightenHeapGrowth } from "../heap-growth.ts";
import { createIndexer, ENGINE_BULK_DOCS } from "../indexer/indexer.ts";
import { createDeliveryIntake } from "../ingest/delivery-intake.ts";
import { defaultProfileFor } from "../ingest/read-delivery.ts";
import { type RunInfo, readRunFile } from "../run-file.ts";
import { createEngine } from "../search/create-engine.ts";
import { createStore } from "../store/create-store.ts";
import { lockDataDir } from "../store/data-dir-lock.ts";
import { privateUmask, protectDataDir } from "../store/data-dir-permissions.ts";
import { CliError, parseCli, runCli, UsageError } from "./cli-args.ts";
import { createServiceClient, problemOf } from "./service-client.ts";

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

/** Environment variable that may hold the token for a running service (instead of `--token`). */
export const TOKEN_VARIABLE = "KLANTHERKENNING_TOKEN";

const SPEC = {
  name: "ingest",
  usage: `usage: npm run ingest -- --partner P --kind full|mutation [--format csv|jsonl|nvga-polis] [--profile NAME] [--token JWT] FILE

Takes a delivery file in, with a progress bar on stderr; prints the delivery record as JSON on stdout
(exit 1 when it failed). When a service runs on this DATA_DIR (its DATA_DIR/service.json), the file goes
through that service's API (POST /v1/deliveries), so its search sees every change at once; otherwise
it is written into the configured store and search engine directly.
  --partner P      the delivering partner's code (registered, with a signed VRA agreement)
  --kind K         full (the partner's whole portfolio: policies it lacks end) or mutation
  --format F       csv (default), jsonl or nvga-polis
  --profile NAME   the partner profile (default standaard, or nvga-polis for that format)
  --token JWT      for a running service: a token of role ingest (for P) or admin (or ${TOKEN_VARIABLE});
                   in AUTH_MODE=dev one is signed with DATA_DIR's dev key when none is given
  -h, --help       this text`,
};

/** How long a service that is still starting is waited for. */
const START_WAIT_MS = 120_000;
/** How often a delivery's state is asked while it is processed. */
const POLL_MS = 1_000;

const settled = (status: string) => status === "completed" || status === "failed" || status === "held";

function newBar(unit: string): Bar {
  return new SingleBar({
    format: `{phase} {bar} {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | {rejected} rejected`,
    stream: process.stderr,
    hideCursor: true,
  });
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

/** What is delivered: the checked options and the file. */
interface Job {
  partner: string;
  kind: "full" | "mutation";
  format: DeliveryFormat;
  profile: string;
  file: string;
  size: number;
  token: string | undefined;
}

/** The service on DATA_DIR once it serves, waiting for one that is starting; null when none runs. */
async function runningService(dataDir: string): Promise<RunInfo | null> {
  const deadline = Date.now() + START_WAIT_MS;
  let said = false;
  for (;;) {
    const run = await readRunFile(dataDir);
    if (!run || run.state === "ready") return run;
    if (Date.now() > deadline)
      throw new CliError(
        `the service on DATA_DIR (pid ${run.pid}) is still starting after ${START_WAIT_MS / 1000} s; run this again once it serves`,
      );
    if (!said)
      process.stderr.write(
        `ingest: waiting for the service on DATA_DIR (pid ${run.pid}) to finish starting\n`,
      );
    said = true;
    await sleep(500);
  }
}

/** The token to deliver with: given, or in dev mode an ingest token for the partner signed with DATA_DIR's key. */
async function tokenFor(env: Env, run: RunInfo, job: Job): Promise<string> {
  if (job.token) return job.token;
  if (run.authMode === "dev")
    return mintDevToken(await loadOrCreateDevKeys(env.DATA_DIR), {
      role: "ingest",
      partner: job.partner,
      sub: "npm-run-ingest",
      ttlSeconds: Math.min(env.AUTH_MAX_TOKEN_AGE_SECONDS, 12 * 3600),
      issuer: run.issuer,
      audience: run.audience,
    });
  throw new CliError(
    `a service runs on DATA_DIR (pid ${run.pid}, ${run.url}, AUTH_MODE=jwks) and the file must go through it: give a token of role ingest for ${job.partner} or admin with --token or ${TOKEN_VARIABLE}`,
  );
}

/** Delivers through the running service's API and follows the delivery until it settles. */
async function viaService(env: Env, run: RunInfo, job: Job): Promise<Delivery> {
  const token = await tokenFor(env, run, job);
  const client = createServiceClient(run);
  process.stderr.write(`ingest: delivering through the service on DATA_DIR (pid ${run.pid}, ${run.url})\n`);
  const started = performance.now();
  const speed = (n: number) => Math.round(n / Math.max(0.001, (performance.now() - started) / 1000));
  const upload = newBar("MiB");
  const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  upload.start(Math.max(0.1, mib(job.size)), 0, { phase: "upload", speed: 0, rejected: 0 });
  const query = new URLSearchParams({
    partner: job.partner,
    kind: job.kind,
    format: job.format,
    profile: job.profile,
  });
  const answer = await client
    .send({
      method: "POST",
      path: `/v1/deliveries?${query}`,
      token,
      body: createReadStream(job.file, { highWaterMark: 1 << 20 }),
      headers: { "content-type": "application/octet-stream", "content-length": String(job.size) },
      onBytes: (sent) => upload.update(mib(sent), { phase: "upload", speed: mib(speed(sent)), rejected: 0 }),
    })
    .finally(() => upload.stop());
  if (answer.status !== 202) throw new CliError(`the service refused the delivery: ${problemOf(answer)}`);
  const { id } = JSON.parse(answer.text) as { id: string };
  const rows = newBar("rows");
  rows.start(Math.max(1, await countRecords(job.file, job.format)), 0, {
    phase: "rows",
    speed: 0,
    rejected: 0,
  });
  const processing = performance.now();
  try {
    for (;;) {
      const state = await client.send({
        method: "GET",
        path: `/v1/deliveries/${encodeURIComponent(id)}`,
        token,
      });
      if (state.status === 429) {
        await sleep(POLL_MS * 5);
        continue;
      }
      if (state.status !== 200) throw new CliError(`GET /v1/deliveries/${id}: ${problemOf(state)}`);
      const delivery = JSON.parse(state.text) as Delivery;
      const seconds = (performance.now() - processing) / 1000;
      const payload = {
        phase: "rows",
        speed: Math.round(delivery.counts.rows / Math.max(0.001, seconds)),
        rejected: delivery.counts.rejected,
      };
      if (settled(delivery.status)) {
        rows.setTotal(Math.max(1, delivery.counts.rows));
        rows.update(delivery.counts.rows, payload);
        return delivery;
      }
      rows.update(delivery.counts.rows, payload);
      await sleep(POLL_MS);
    }
  } finally {
    rows.stop();
  }
}

/** Writes into the configured store and search engine in this process (no service runs on DATA_DIR). */
async function direct(env: Env, job: Job): Promise<Delivery> {
  privateUmask();
  await protectDataDir(env.DATA_DIR);
  // The embedded store and engine are one process's: not while the service (or another CLI) has them.
  let lock: ReturnType<typeof lockDataDir> | undefined;
  if (env.STORE === "sqlite" || env.SEARCH === "embedded") {
    try {
      lock = lockDataDir(env.DATA_DIR);
    } catch (err) {
      if (err instanceof AppError) throw new CliError(err.message);
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
  const bar = newBar("rows");
  const started = performance.now();
  const speed = (n: number) => Math.round(n / Math.max(0.001, (performance.now() - started) / 1000));
  bar.start(Math.max(1, await countRecords(job.file, job.format)), 0, {
    phase: "rows",
    speed: 0,
    rejected: 0,
  });
  const intake = createDeliveryIntake({
    store,
    indexer,
    porCodes: env.porCodes,
    ...(leases ? { leases } : {}),
    onProgress: (_id, counts) =>
      bar.update(counts.rows, { phase: "rows", speed: speed(counts.rows), rejected: counts.rejected }),
  });
  try {
    const submitted = await intake.submit({
      partner: job.partner,
      kind: job.kind,
      format: job.format,
      profile: job.profile,
      channel: "upload",
      submittedBy: "cli",
      body: createReadStream(job.file, { highWaterMark: 1 << 20 }),
    });
    const done = await intake.whenSettled(submitted.id);
    bar.setTotal(Math.max(1, done.counts.rows));
    bar.update(done.counts.rows, {
      phase: "rows",
      speed: speed(done.counts.rows),
      rejected: done.counts.rejected,
    });
    return done;
  } finally {
    bar.stop();
    await intake.close();
    await leases?.close();
    await engine.close();
    await store.close();
    lock?.release();
  }
}

/**
 * `npm run ingest`: takes a (large) delivery file in with a progress bar — through the running
 * service's API when one runs on DATA_DIR, else straight into the configured store and engine.
 */
async function main(): Promise<void> {
  tightenHeapGrowth();
  const { values, positionals } = parseCli(SPEC, {
    partner: { type: "string" },
    kind: { type: "string" },
    format: { type: "string", default: "csv" },
    profile: { type: "string" },
    token: { type: "string" },
  });
  const file = positionals[0];
  if (!values.partner) throw new UsageError("--partner is required");
  if (values.kind !== "full" && values.kind !== "mutation")
    throw new UsageError("--kind must be full or mutation");
  const format = DeliveryFormat.safeParse(values.format);
  if (!format.success) throw new UsageError("--format must be csv, jsonl or nvga-polis");
  if (!file || positionals.length > 1) throw new UsageError("name exactly one FILE");
  const size = await stat(file).then(
    (s) => s.size,
    (err: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${file} (${err.code ?? err.message})`);
    },
  );
  const env = parseEnv();
  const job: Job = {
    partner: values.partner,
    kind: values.kind,
    format: format.data,
    profile: values.profile ?? defaultProfileFor(format.data),
    file,
    size,
    token: values.token ?? (process.env[TOKEN_VARIABLE] || undefined),
  };
  const started = performance.now();
  const run = await runningService(env.DATA_DIR);
  const done = run ? await viaService(env, run, job) : await direct(env, job);
  process.stdout.write(`${JSON.stringify(done, null, 2)}\n`);
  process.stderr.write(`${size} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  if (done.status === "held")
    process.stderr.write(
      `held: ${done.hold?.reason}; an admin releases or rejects it (POST /v1/deliveries/${done.id}/release|reject)\n`,
    );
  if (done.status === "failed")
    process.stderr.write(`failed: ${done.failureCode ?? ""} ${done.failure ?? ""}\n`);
  process.exitCode = done.status === "failed" ? 1 : 0;
}

runCli(SPEC, main);

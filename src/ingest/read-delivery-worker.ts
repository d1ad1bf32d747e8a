/**
 * `readDelivery` on a worker thread: decoding and parsing a delivery costs about as much CPU as
 * writing it, so a big delivery is parsed on the second core while the main thread writes the
 * previous batches. The main thread still reads the file (the store owns it) and hands the worker
 * chunks on request; the worker answers rows in batches. Both directions are bounded: the worker
 * keeps at most CHUNKS_AHEAD chunks asked for or unparsed, and stops parsing while `rowsAhead` rows
 * wait unconsumed, so memory stays flat whatever the delivery's size.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { AppError, type ErrorCode } from "../domain/errors.ts";
import { matchKeys } from "../domain/identity.ts";
import type { DeliveryEncoding } from "./decode.ts";
import type { NvgaFileInfo } from "./nvga-rows.ts";
import { type ParsedRow, type ReadOptions, readDelivery } from "./read-delivery.ts";
import { packRows, unpackRows } from "./row-transport.ts";

const WORKER_MARK = "klantherkenningDeliveryReader";
/**
 * File chunks (1 MiB each from the stores) the worker keeps asked for: a 25,000-row batch of a
 * standaard file is ~5 MiB, and the reading thread cannot answer while it writes one.
 */
const CHUNKS_AHEAD = 8;
/** Rows per message from the worker. */
const ROWS_PER_MESSAGE = 1000;
/**
 * Rows the worker may parse ahead of the reader by default. A writer that takes rows in batches
 * should allow a whole batch and a bit: while it writes one batch the worker parses the next, instead
 * of both waiting in turn (with 25,000-row batches and 4,000 rows ahead, the writing thread sat idle
 * 22 s of a 95 s million-row delivery).
 */
export const DEFAULT_ROWS_AHEAD = 4 * ROWS_PER_MESSAGE;

type ToWorker = { t: "chunk"; chunk: Uint8Array } | { t: "end" } | { t: "ack" };
type FromWorker =
  | { t: "pull" }
  /** `ParsedRow[]` as `packRows` writes them (src/ingest/row-transport.ts). */
  | { t: "rows"; json: string }
  | { t: "encoding"; encoding: DeliveryEncoding }
  | { t: "info"; info: NvgaFileInfo }
  | { t: "done" }
  | { t: "error"; error: { code?: ErrorCode; message: string; details?: Record<string, unknown> } };

/** Same contract as `readDelivery` (rows in order, the same AppErrors), parsed on a worker thread. */
export async function* readDeliveryInWorker(
  source: AsyncIterable<Uint8Array>,
  options: ReadOptions,
  rowsAhead = DEFAULT_ROWS_AHEAD,
): AsyncGenerator<ParsedRow> {
  const { onEncoding, onFileInfo, ...cloneable } = options;
  const messagesAhead = Math.max(1, Math.ceil(rowsAhead / ROWS_PER_MESSAGE));
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { [WORKER_MARK]: cloneable, messagesAhead },
    // The worker holds a few batches at a time; a small heap keeps its garbage from inflating RSS.
    resourceLimits: { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 48 },
  });
  const input = source[Symbol.asyncIterator]();
  const inbox: FromWorker[] = [];
  let wake: (() => void) | undefined;
  let sourceError: unknown;
  const deliver = (m: FromWorker) => {
    inbox.push(m);
    wake?.();
  };
  // Pulls are answered one after another, in order: the worker asks ahead of need (see CHUNKS_AHEAD).
  let reading = Promise.resolve();
  let ended = false;
  const pull = async () => {
    if (ended) return;
    try {
      const next = await input.next();
      if (next.done) ended = true;
      if (next.done) worker.postMessage({ t: "end" } satisfies ToWorker);
      else {
        // A chunk that owns its whole buffer moves to the worker instead of being copied: otherwise
        // each read megabyte lingers here as garbage until this (busy) thread next collects.
        const chunk = next.value;
        const owned = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
        const transfer = owned && chunk.buffer instanceof ArrayBuffer ? [chunk.buffer] : [];
        worker.postMessage({ t: "chunk", chunk } satisfies ToWorker, transfer);
      }
    } catch (err) {
      ended = true;
      sourceError = err;
      deliver({ t: "done" });
    }
  };
  worker.on("message", (m: FromWorker) => {
    if (m.t !== "pull") return deliver(m);
    reading = reading.then(pull);
  });
  worker.on("error", (err) => deliver({ t: "error", error: { message: String(err?.message ?? err) } }));
  worker.on("exit", (code) => {
    if (code !== 0) deliver({ t: "error", error: { message: `delivery reader stopped (exit ${code})` } });
  });
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = inbox.shift()!;
      if (m.t === "rows") {
        worker.postMessage({ t: "ack" } satisfies ToWorker);
        yield* unpackRows(m.json);
      } else if (m.t === "encoding") {
        onEncoding?.(m.encoding);
      } else if (m.t === "info") {
        onFileInfo?.(m.info);
      } else if (m.t === "error") {
        if (m.error.code) throw new AppError(m.error.code, m.error.message, { details: m.error.details });
        throw new Error(m.error.message);
      } else if (m.t === "done") {
        if (sourceError) throw sourceError;
        return;
      }
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
    await input.return?.();
  }
}

/** The worker's side: pulls chunks, parses them with `readDelivery`, posts rows in bounded batches. */
async function runWorker(): Promise<void> {
  const port = parentPort!;
  const chunks: Array<Uint8Array | null> = [];
  // Chunks asked for and not yet arrived. The reading thread answers only between its own
  // (synchronous) batch writes, so the worker keeps CHUNKS_AHEAD chunks asked for instead of one.
  let requested = 0;
  let sawEnd = false;
  let credits = (workerData as { messagesAhead: number }).messagesAhead;
  let wake: (() => void) | undefined;
  port.on("message", (m: ToWorker) => {
    if (m.t === "chunk") {
      requested--;
      chunks.push(m.chunk);
    } else if (m.t === "end") {
      requested--;
      sawEnd = true;
      chunks.push(null);
    } else credits++;
    wake?.();
  });
  const post = (m: FromWorker) => port.postMessage(m);
  const waitFor = async (ready: () => boolean) => {
    while (!ready()) await new Promise<void>((resolve) => (wake = resolve));
  };
  async function* bytes(): AsyncGenerator<Uint8Array> {
    for (;;) {
      while (!sawEnd && chunks.length + requested < CHUNKS_AHEAD) {
        requested++;
        post({ t: "pull" });
      }
      await waitFor(() => chunks.length > 0);
      const chunk = chunks.shift()!;
      if (chunk === null) return;
      yield chunk;
    }
  }
  const options: ReadOptions = {
    ...(workerData as Record<string, ReadOptions>)[WORKER_MARK]!,
    onEncoding: (encoding) => post({ t: "encoding", encoding }),
    onFileInfo: (info) => post({ t: "info", info }),
  };
  let rows: ParsedRow[] = [];
  const send = async () => {
    await waitFor(() => credits > 0);
    credits--;
    // Rows are plain data (strings, numbers, booleans): JSON carries them whole, and V8 reads JSON
    // faster than it deserialises a structured clone (100,000 rows: ~0.6 s against 1.0-1.5 s); as
    // arrays of values it reads in half the time again (row-transport.ts).
    post({ t: "rows", json: packRows(rows) });
    rows = [];
  };
  try {
    for await (const row of readDelivery(bytes(), options)) {
      // Identity keys are pure functions of the row: worked out here, off the writing thread.
      rows.push(row.ok ? { ...row, keys: matchKeys(row.row) } : row);
      if (rows.length >= ROWS_PER_MESSAGE) await send();
    }
    if (rows.length > 0) await send();
    post({ t: "done" });
  } catch (err) {
    const e = err as Partial<AppError>;
    post({
      t: "error",
      error:
        err instanceof AppError
          ? { code: err.code, message: err.message, details: err.details }
          : { message: String(e?.message ?? err) },
    });
  }
  port.close();
}

// Only the thread started above runs the worker side (vitest and others run modules in workers too).
if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_MARK]) await runWorker();

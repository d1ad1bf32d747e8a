import { createHash, randomUUID } from "node:crypto";
import PQueue from "p-queue";
import type { HeldLease, LeaseKeeper } from "../cluster/lease-keeper.ts";
import { holdFor } from "../domain/delivery-hold.ts";
import { type CatalogueModules, DeliveryQualityCounter } from "../domain/delivery-quality.ts";
import { AppError } from "../domain/errors.ts";
import type {
  CanonicalRow,
  Channel,
  Delivery,
  DeliveryFileInfo,
  DeliveryHold,
  RowError,
} from "../domain/model.ts";
import { DEFAULT_HOLD_THRESHOLD_PERCENT, type DeliveryFormat, deliveryRefusal } from "../domain/partner.ts";
import { amsterdamDate } from "../domain/policy-history.ts";
import type { Indexer } from "../indexer/indexer.ts";
import { type RetryPolicy, withRetry } from "../indexer/retry.ts";
import { removeDeliveryShare } from "../retention/remove-delivery.ts";
import type { Store } from "../store/store.ts";
import { isStoreUnavailable } from "../store/store-errors.ts";
import { writeBatch } from "./delivery-batch.ts";
import { endMissingPolicies } from "./end-missing.ts";
import { decideHeldDelivery } from "./held-delivery.ts";
import { type ParsedRow, type ReadOptions, readDelivery } from "./read-delivery.ts";
import { readDeliveryInWorker } from "./read-delivery-worker.ts";
import { checkUploadHead, peekHead } from "./upload-sniff.ts";

/** A delivery as it arrives: who, what kind, and the file's bytes as a stream. */
export interface SubmitDelivery {
  partner: string;
  kind: "full" | "mutation";
  format: DeliveryFormat;
  profile: string;
  channel: Channel;
  /** Backfill of the receipt time (admin only); default now. */
  receivedAt?: string;
  submittedBy?: string;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Takes partner deliveries into the system of record: keeps the file, parses and validates rows,
 * resolves customers, writes policy history, and has the indexer make accepted rows searchable.
 */
export interface DeliveryIntake {
  /** Stores the file and the delivery record (`received`), then processes in the background. */
  submit(input: SubmitDelivery): Promise<Delivery>;
  get(id: string): Promise<Delivery | null>;
  /** Resolves once the delivery is `completed`, `failed` or `held` (for the CLI and tests). */
  whenSettled(id: string): Promise<Delivery>;
  /** A held delivery applied: the policies it lacks are ended as of its date (CONFLICT unless held). */
  release(id: string, by: string): Promise<Delivery>;
  /** A held delivery refused: undone whole, status `failed` (CONFLICT unless held). */
  reject(id: string, by: string): Promise<Delivery>;
  /**
   * Re-runs deliveries a crash left `received` or `processing` (call once at start); resolves when
   * queued, with their ids. With leases, later ones are found by the sweep (see DeliveryIntakeOptions).
   */
  resume(): Promise<string[]>;
  /** Stops the sweep and gives up the intake lease once the delivery in hand is done. */
  close(): Promise<void>;
}

/** Minimal logger the intake writes to (pino fits). */
export interface IntakeLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Deliveries from this size on are parsed on a worker thread. */
const WORKER_MIN_BYTES = 4 * 1024 ** 2;
/** Accepted rows written per batch (one store transaction each) by default. */
export const DEFAULT_BATCH_SIZE = 25_000;
/** Largest delivered file accepted by default: 2 GiB. */
export const DEFAULT_MAX_DELIVERY_BYTES = 2 * 1024 ** 3;
/** Rejected-row errors kept on the delivery record; the counts stay exact beyond it. */
export const MAX_STORED_ERRORS = 1000;

/** Dependencies and limits of the intake. */
export interface DeliveryIntakeOptions {
  store: Store;
  indexer: Indexer;
  logger?: IntakeLogger;
  now?: () => Date;
  maxBytes?: number;
  batchSize?: number;
  /** Rows reader; default `readDelivery` with the repository's profiles. */
  read?: (source: AsyncIterable<Uint8Array>, o: ReadOptions) => AsyncIterable<ParsedRow>;
  /** Our POR codes (NVGA_POR_CODES): an NVGA File Polis for another insurer is refused (WRONG_RECIPIENT). */
  porCodes?: readonly string[];
  /** Told the running counts after every batch (the CLI's progress bar). */
  onProgress?: (deliveryId: string, counts: Delivery["counts"]) => void;
  /**
   * How long a delivery whose store went away waits for it (store pings, backoff doubling up to 30 s,
   * 30 minutes by default) before it is run again from the start; its writes are idempotent.
   */
  storeRetry?: RetryPolicy;
  /**
   * Several instances on one store: deliveries are processed only under the `intake` lease, by
   * whichever instance holds it, oldest first (phone first); every `sweepMs` (default the lease's
   * poll interval) an instance looks for open deliveries and takes the lease if it is free or its
   * holder died (expired), resuming what that holder left. Without, this process is the only one.
   */
  leases?: LeaseKeeper;
  sweepMs?: number;
}

/** The lease under which deliveries are processed: one delivery at a time across all instances. */
export const INTAKE_LEASE = "intake";
/** Deliveries still to process (or to resume). */
const OPEN: Delivery["status"][] = ["received", "processing"];

/** Thrown inside processing when the intake lease passed to another instance: stop, undo nothing. */
class LeaseLost extends Error {}

const settled = (d: Delivery | null) =>
  d !== null && (d.status === "completed" || d.status === "failed" || d.status === "held");

/** Product code → module codes of the catalogue's current products (older versions are stored as `CODE@vN`). */
async function catalogueModules(store: Store): Promise<CatalogueModules> {
  const products = (await store.listProducts()).filter((p) => !p.code.includes("@"));
  return new Map(products.map((p) => [p.code, new Set(p.modules.map((m) => m.code))]));
}

/** The delivery intake over a store and an indexer (see DeliveryIntake). */
export function createDeliveryIntake(
  options: DeliveryIntakeOptions,
): DeliveryIntake & { idle(): Promise<void> } {
  const { store, indexer, logger } = options;
  const now = options.now ?? (() => new Date());
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DELIVERY_BYTES;
  const porCodes = options.porCodes ?? [];
  // Bigger batches share more index pages per commit: SQLite writes each touched page once per commit
  // (1,000,000 rows, store alone: 5,000-row batches 8,609 rows/s, 25,000-row batches 11,447 rows/s).
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  // A big delivery is parsed on a worker thread, overlapping the writes; a small one is not worth
  // a thread's start-up.
  const read = (delivery: Delivery) =>
    options.read ??
    (delivery.size >= WORKER_MIN_BYTES
      ? (source: AsyncIterable<Uint8Array>, o: ReadOptions) =>
          readDeliveryInWorker(source, o, batchSize + 4 * 1000)
      : readDelivery);
  // One delivery at a time, across partners and instances too: two partners often deliver the same
  // person, and resolving them concurrently could create that person twice.
  const queue = new PQueue({ concurrency: 1 });
  const leases = options.leases;
  let drainQueued = false;
  let closed = false;
  const waiters = new Map<string, Set<() => void>>();

  /** Has the queue work through the open deliveries (again), unless that is already queued. */
  function nudge(): void {
    if (drainQueued || closed) return;
    drainQueued = true;
    void queue
      .add(() => {
        drainQueued = false;
        return drain();
      })
      .catch((err: unknown) => logger?.error({ err }, "delivery processing crashed"));
  }

  /** The open deliveries in the order they are processed: a policy given by phone first (someone waits on the line). */
  async function openDeliveries(): Promise<Delivery[]> {
    const open = await store.listDeliveries({ status: OPEN });
    return open.sort((a, b) => Number(b.channel === "phone") - Number(a.channel === "phone"));
  }

  /** Processes open deliveries, oldest first, under the intake lease when there are several instances. */
  async function drain(): Promise<void> {
    const lease = leases ? await leases.tryTake(INTAKE_LEASE) : undefined;
    if (lease === null) return; // another instance holds it; the sweep looks again
    const tried = new Set<string>();
    try {
      for (;;) {
        if (lease?.lost()) return;
        const next = (await openDeliveries()).find((d) => !tried.has(d.id));
        if (!next) return;
        tried.add(next.id);
        await processDelivery(next.id, lease);
      }
    } finally {
      await lease?.release().catch((err: unknown) => logger?.warn({ err }, "intake lease release failed"));
    }
  }

  const sweep = leases
    ? setInterval(
        () =>
          void store.listDeliveries({ status: OPEN }).then(
            (open) => {
              if (open.length > 0) nudge();
            },
            (err: unknown) => logger?.warn({ err }, "looking for open deliveries failed"),
          ),
        options.sweepMs ?? leases.pollMs,
      )
    : undefined;
  sweep?.unref();

  function settle(id: string): void {
    for (const wake of waiters.get(id) ?? []) wake();
    waiters.delete(id);
  }

  async function processDelivery(id: string, lease: HeldLease | undefined): Promise<void> {
    try {
      await runDelivery(id, lease);
    } finally {
      settle(id);
    }
  }

  const storeRetry = options.storeRetry ?? { baseDelayMs: 500, maxDelayMs: 30_000, maxWaitMs: 30 * 60_000 };

  /**
   * Runs a delivery; when the store goes away under it, waits until the store answers again and runs
   * it again from the start (every write is idempotent by its key, so the end state is that of one
   * uninterrupted run). A store that stays away past the policy leaves the delivery `processing`, for
   * `resume()` at the next start or another instance's sweep.
   */
  async function runDelivery(id: string, lease: HeldLease | undefined): Promise<void> {
    for (;;) {
      try {
        return await processHeld(id, lease);
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
        logger?.error(
          { deliveryId: id, err: (err as Error).message },
          "store unavailable; the delivery waits",
        );
        await withRetry(() => store.ping(), storeRetry, undefined, isStoreUnavailable);
        if (lease?.lost()) return;
        logger?.info({ deliveryId: id }, "store answers again; the delivery runs again");
      }
    }
  }

  async function processHeld(id: string, lease: HeldLease | undefined): Promise<void> {
    // Before every write: a holder that lost the lease stops; the new holder runs the delivery again.
    const stillHeld = () => {
      if (lease?.lost()) throw new LeaseLost(`intake lease lost while processing delivery ${id}`);
    };
    const delivery = await store.getDelivery(id);
    if (!delivery || settled(delivery)) return;
    const original = await store.findDeliveryBySha256(delivery.partner, delivery.sha256);
    if (original && original.id !== id && original.status === "completed") {
      await store.updateDelivery(id, { status: "completed", duplicateOf: original.id });
      // Its bytes are the original's, kept there: a second copy would outlive an erasure's redaction.
      await store.deleteFile(id);
      logger?.info({ deliveryId: id, duplicateOf: original.id }, "duplicate delivery: nothing changed");
      return;
    }
    await store.updateDelivery(id, { status: "processing" });
    const counts = { rows: 0, accepted: 0, rejected: 0 };
    const errors: RowError[] = [];
    const quality = new DeliveryQualityCounter(await catalogueModules(store));
    const shared = new Set<string>();
    let fileInfo: DeliveryFileInfo | undefined;
    let wroteAnything = false;
    let flushes = 0;
    // The last batch's indexing, running while the next batch is read and stored: a delivery takes
    // about the longer of the two, not their sum (with Elasticsearch the engine is the slower one).
    // Batches are indexed in order, each once the one before is in.
    let indexing: Promise<void> = Promise.resolve();
    try {
      const received = amsterdamDate(delivery.receivedAt);
      // An NVGA File Polis is a snapshot as of its reference date (AL_ADATMSG): its versions and
      // endings take effect then, never later than its receipt. The header comes before any row.
      let deliveryDate = received;
      const onFileInfo = (info: DeliveryFileInfo) => {
        fileInfo = info;
        if (info.referenceDate && info.referenceDate < received) deliveryDate = info.referenceDate;
      };
      const full = delivery.kind === "full";
      // Policy numbers of the file: a full delivery ends those of the partner it lacks; repeats are counted.
      const seen = new Set<string>();
      let batch: CanonicalRow[] = [];
      let batchKeys: Array<string[] | undefined> = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const rows = batch;
        const keys = batchKeys;
        batch = [];
        batchKeys = [];
        stillHeld();
        wroteAnything = true;
        const written = await writeBatch(store, delivery, deliveryDate, rows, keys);
        for (const customerId of written.shared) shared.add(customerId);
        await indexing;
        indexing = (async () => {
          await indexer.indexRecords(written.records);
          if (written.others.length > 0) await indexer.indexCustomers(written.others);
        })();
        // Awaited before the next batch or the end; a failure meanwhile surfaces there.
        indexing.catch(() => {});
        options.onProgress?.(id, { ...counts });
        // Let `GET /v1/deliveries/{id}` show a long delivery moving, without a write per batch.
        if (++flushes % 4 === 0) await store.updateDelivery(id, { counts: { ...counts } });
      };
      const source = read(delivery)(store.readFile(id), {
        partner: delivery.partner,
        format: delivery.format,
        profile: delivery.profile,
        porCodes,
        onFileInfo,
      });
      for await (const parsed of source) {
        counts.rows++;
        if (parsed.ok) {
          counts.accepted++;
          const number = parsed.row.policyNumber;
          if (seen.has(number)) quality.duplicate();
          else seen.add(number);
          quality.accepted(parsed.row);
          batch.push(parsed.row);
          batchKeys.push(parsed.keys);
          if (batch.length >= batchSize) await flush();
        } else {
          counts.rejected++;
          quality.rejected(parsed.errors);
          for (const e of parsed.errors) if (errors.length < MAX_STORED_ERRORS) errors.push(e);
        }
      }
      await flush();
      await indexing;
      quality.sharedCustomers = shared.size;
      if (full && counts.accepted === 0) {
        // Taken at its word, such a file ends every policy of the partner: far likelier a broken export.
        throw new AppError(
          "DELIVERY_REJECTED",
          "a full delivery without one valid row would end every policy of the partner; nothing was changed",
        );
      }
      const done = { counts, errors, ...(fileInfo ? { fileInfo } : {}) };
      stillHeld();
      if (full) {
        const hold = await holdOf(delivery, deliveryDate, seen);
        if (hold) {
          await store.updateDelivery(id, { status: "held", hold, ...done, quality: quality.result() });
          options.onProgress?.(id, { ...counts });
          logger?.info({ deliveryId: id, partner: delivery.partner, ...hold }, "full delivery held");
          return;
        }
        quality.ended = await endMissing(delivery, deliveryDate, seen);
        stillHeld();
      }
      await store.updateDelivery(id, { status: "completed", ...done, quality: quality.result() });
      options.onProgress?.(id, { ...counts });
      logger?.info({ deliveryId: id, partner: delivery.partner, ...counts }, "delivery completed");
    } catch (err) {
      // Whatever indexing is still under way ends before anything is undone or left to another instance.
      await indexing.catch(() => {});
      if (err instanceof LeaseLost) {
        logger?.warn(
          { deliveryId: id },
          "intake lease lost: the delivery is left to the instance that took it over",
        );
        return;
      }
      // The store went away: nothing can be undone or recorded now; runDelivery waits and runs it again.
      if (isStoreUnavailable(err)) throw err;
      const message =
        err instanceof AppError ? err.message : `internal error: ${String((err as Error)?.message ?? err)}`;
      logger?.error({ err, deliveryId: id }, "delivery failed");
      // A failed delivery leaves the records as they were: undo what its first batches wrote.
      if (wroteAnything) await removeDeliveryShare({ store, indexer, deliveryId: id });
      await store.updateDelivery(id, {
        status: "failed",
        failure: message,
        failureCode: err instanceof AppError ? err.code : "INTERNAL",
        counts,
        errors,
        ...(fileInfo ? { fileInfo } : {}),
      });
    }
  }

  const endMissing = (delivery: Delivery, date: string, seen: Set<string>, write = true) =>
    endMissingPolicies({ store, indexer, batchSize }, delivery, date, seen, write);

  /** The hold of a full delivery, or null: the running policies it would end against its partner's threshold. */
  async function holdOf(delivery: Delivery, date: string, seen: Set<string>): Promise<DeliveryHold | null> {
    const wouldEnd = await endMissing(delivery, date, seen, false);
    if (wouldEnd === 0) return null;
    const partner = await store.partners.get(delivery.partner);
    return holdFor(
      wouldEnd,
      seen.size,
      partner?.holdThresholdPercent ?? DEFAULT_HOLD_THRESHOLD_PERCENT,
      date,
    );
  }

  /**
   * Runs a held delivery's decision in the delivery queue, after whatever is being processed, under
   * the intake lease when there are several instances (no other instance writes deliveries meanwhile).
   */
  function decide(id: string, by: string, decision: "released" | "rejected"): Promise<Delivery> {
    return queue.add(async () => {
      const lease = leases ? await leases.take(INTAKE_LEASE, `decide ${id}`) : undefined;
      try {
        const decided = await decideHeldDelivery({ store, indexer, batchSize, now }, id, by, decision);
        logger?.info({ deliveryId: id, decision, by }, "held delivery decided");
        return decided;
      } finally {
        await lease?.release().catch((err: unknown) => logger?.warn({ err }, "intake lease release failed"));
      }
    }) as Promise<Delivery>;
  }

  async function submit(input: SubmitDelivery): Promise<Delivery> {
    // Before a byte is stored: only a registered, active partner with a signed agreement delivers.
    const partner = await store.partners.get(input.partner);
    const refusal = deliveryRefusal(input.partner, partner, amsterdamDate(now().toISOString()));
    if (refusal) throw new AppError(refusal.code, refusal.message, { details: { partner: input.partner } });
    // The head is looked at before anything is stored: compressed files and files that are no NVGA
    // File Polis (or one for another insurer) are answered at once.
    const { head, stream } = await peekHead(input.body);
    checkUploadHead(head, input.format, porCodes);
    const id = randomUUID();
    const hash = createHash("sha256");
    let size = 0;
    async function* tap(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
      for await (const chunk of body) {
        size += chunk.byteLength;
        if (size > maxBytes)
          throw new AppError("PAYLOAD_TOO_LARGE", `a delivery may be at most ${maxBytes} bytes`, {
            details: { maxBytes },
          });
        hash.update(chunk);
        yield chunk;
      }
    }
    try {
      await store.putFile(id, tap(stream));
    } catch (err) {
      await store.deleteFile(id).catch(() => undefined);
      throw err;
    }
    const delivery: Delivery = {
      id,
      partner: input.partner,
      kind: input.kind,
      format: input.format,
      profile: input.profile,
      channel: input.channel,
      receivedAt: input.receivedAt ?? now().toISOString(),
      sha256: hash.digest("hex"),
      size,
      status: "received",
      counts: { rows: 0, accepted: 0, rejected: 0 },
      errors: [],
      ...(input.submittedBy ? { submittedBy: input.submittedBy } : {}),
    };
    await store.insertDelivery(delivery);
    nudge();
    return delivery;
  }

  async function whenSettled(id: string): Promise<Delivery> {
    for (;;) {
      const d = await store.getDelivery(id);
      if (!d) throw new AppError("NOT_FOUND", `delivery ${id} not found`);
      if (settled(d)) return d;
      // Woken when this instance finishes it; processed elsewhere, it is looked up again.
      await new Promise<void>((resolve) => {
        const set = waiters.get(id) ?? new Set();
        const timer = setTimeout(wake, 200);
        function wake() {
          clearTimeout(timer);
          set.delete(wake);
          resolve();
        }
        set.add(wake);
        waiters.set(id, set);
      });
    }
  }

  async function resume(): Promise<string[]> {
    const open = await openDeliveries();
    if (open.length > 0)
      logger?.info({ deliveries: open.map((d) => d.id) }, "resuming interrupted deliveries");
    nudge();
    return open.map((d) => d.id);
  }

  async function close(): Promise<void> {
    closed = true;
    if (sweep) clearInterval(sweep);
    await queue.onIdle();
  }

  return {
    submit,
    get: (id) => store.getDelivery(id),
    whenSettled,
    resume,
    close,
    release: (id, by) => decide(id, by, "released"),
    reject: (id, by) => decide(id, by, "rejected"),
    idle: () => queue.onIdle(),
  };
}

/**
 * Upkeep of the embedded audit log (`audit.db`), on a thread of its own: moving recent customer rows
 * into the customer index, and retention. Both run in steps of one short transaction each, so the
 * HTTP thread's audit commits are never held up for long and its event loop never for any time.
 *
 * The merge. Every lookup adds about ten (customer, audit record) rows. Inserted straight into the
 * customer index (`audit_customers`, clustered by customer id) they land at random places, and each
 * commit writes every page it dirtied to the WAL: with 1,350,000 rows in that index a record cost 0.33
 * CPU-ms (0.6 ms wall) in a loop of 30-record commits, on the HTTP thread, growing with the log. So
 * the writer appends them to `audit_customers_new` (0.03-0.06 ms a record), and a merge moves them
 * sorted and in bulk later: ~8 µs a row for 100,000 rows alone, ~15 µs under full load (2-vCPU Xeon,
 * Node 24, 2026-12-01). A merge is safe to stop anywhere: a step copies rows (INSERT OR IGNORE), and
 * rows leave `audit_customers_new` only after all of them are copied, so a crash copies again and loses
 * nothing. Lookups by customer read both tables. A row whose record retention deleted is not copied.
 *
 * Retention deleted with one statement that scanned the whole customer index, on the HTTP thread; it
 * now walks it on this thread, a slice per step.
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { DatabaseSync as Database } from "node:sqlite";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { immediateTransaction } from "./sqlite-transaction.ts";

const WORKER_MARK = "klantherkenningAuditUpkeep";

/** Rows copied per transaction: ~8 ms, so the HTTP thread's audit commits wait at most that long. */
export const MERGE_STEP_ROWS = 1_000;
/** Rows taken out of `audit_customers_new` per transaction once all are copied. */
const CLEAR_STEP_ROWS = 20_000;
/** Records, or customer rows walked, per retention step. */
export const RETENTION_STEP_ROWS = 1_000;

/**
 * The move as steps, one transaction each; the generator yields between them (the caller pauses
 * there, so other writers of the database get their turn) and returns how many rows it moved.
 */
export function* auditMergeSteps(db: DatabaseSync, stepRows = MERGE_STEP_ROWS): Generator<void, number> {
  const top = (
    db.prepare("SELECT max(rowid) AS top FROM audit_customers_new").get() as { top: number | null }
  ).top;
  if (top === null) return 0;
  // A read: it takes no write lock, so audit commits go on while it sorts.
  const select = db.prepare(
    "SELECT customer_id, audit_id FROM audit_customers_new WHERE rowid <= ? ORDER BY customer_id, audit_id",
  );
  select.setReturnArrays(true);
  const rows = select.all(top) as unknown as [SQLInputValue, SQLInputValue][];
  const copy = db.prepare(
    `INSERT OR IGNORE INTO audit_customers (customer_id, audit_id)
     SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM audit WHERE id = ?2)`,
  );
  const tx = <T>(fn: () => T): T => immediateTransaction(db, fn);
  for (let i = 0; i < rows.length; i += stepRows) {
    tx(() => {
      for (const [customerId, auditId] of rows.slice(i, i + stepRows)) copy.run(customerId, auditId);
    });
    yield;
  }
  const remove = db.prepare("DELETE FROM audit_customers_new WHERE rowid <= ?");
  const bottom =
    (db.prepare("SELECT min(rowid) AS low FROM audit_customers_new").get() as { low: number | null }).low ??
    top;
  for (let upTo = bottom + CLEAR_STEP_ROWS - 1; ; upTo += CLEAR_STEP_ROWS) {
    tx(() => remove.run(Math.min(upTo, top)));
    if (upTo >= top) break;
    yield;
  }
  return rows.length;
}

/**
 * Retention of the audit log as steps: first the records older than `before` (they lie at the front
 * of the log, so each step deletes neighbouring rows), then the customer rows left pointing at no
 * record, found by walking both customer tables in key order a slice at a time. Deleting those rows by
 * key instead (from each record's `customerIds`) dirtied one page per row, 0.55 ms a record at 200,000
 * records; the walk dirties each page at most once. Rows without a record never show in a lookup (it
 * joins the records), so a run stopped half-way hides nothing old, and the next run that deletes
 * anything walks again. Answers how many records it deleted.
 */
export function* auditDeleteSteps(
  db: DatabaseSync,
  before: string,
  stepRows = RETENTION_STEP_ROWS,
): Generator<void, number> {
  const tx = <T>(fn: () => T): T => immediateTransaction(db, fn);
  const dropRecords = db.prepare(
    "DELETE FROM audit WHERE rowid IN (SELECT rowid FROM audit WHERE at < ? ORDER BY at LIMIT ?)",
  );
  let deleted = 0;
  for (;;) {
    const n = tx(() => Number(dropRecords.run(before, stepRows).changes));
    deleted += n;
    if (n < stepRows) break;
    yield;
  }
  if (deleted === 0) return 0;
  const orphan = "NOT EXISTS (SELECT 1 FROM audit WHERE audit.id = audit_id)";
  const dropRecent = db.prepare(
    `DELETE FROM audit_customers_new WHERE rowid > ? AND rowid <= ? AND ${orphan}`,
  );
  const top = (
    db.prepare("SELECT max(rowid) AS top FROM audit_customers_new").get() as { top: number | null }
  ).top;
  for (let from = 0; top !== null && from < top; from += stepRows) {
    tx(() => dropRecent.run(from, from + stepRows));
    yield;
  }
  // The key `stepRows` rows on from the last one walked ends the next slice; none left, the last slice.
  const sliceEnd = db.prepare(
    `SELECT customer_id, audit_id FROM audit_customers WHERE (customer_id, audit_id) > (?, ?)
     ORDER BY customer_id, audit_id LIMIT 1 OFFSET ${stepRows - 1}`,
  );
  // Two statements: with the upper bound in an OR, SQLite would walk on to the end of the index.
  const dropSlice = db.prepare(
    `DELETE FROM audit_customers WHERE (customer_id, audit_id) > (?, ?) AND (customer_id, audit_id) <= (?, ?)
     AND ${orphan}`,
  );
  const dropRest = db.prepare(
    `DELETE FROM audit_customers WHERE (customer_id, audit_id) > (?, ?) AND ${orphan}`,
  );
  let after: [string, string] = ["", ""];
  for (;;) {
    const end = tx(() => {
      const row = sliceEnd.get(...after) as { customer_id: string; audit_id: string } | undefined;
      if (row) dropSlice.run(...after, row.customer_id, row.audit_id);
      else dropRest.run(...after);
      return row;
    });
    if (!end) return deleted;
    after = [end.customer_id, end.audit_id];
    yield;
  }
}

/**
 * An erased person's id replaced by a tombstone in every record that named them: in the record's
 * `customerIds`, in both customer tables; the record's query hash goes too (with the HMAC key, a
 * guessed query could be checked against it). Records, a step of them per transaction.
 */
export function* auditReplaceSteps(
  db: DatabaseSync,
  from: string,
  to: string,
  stepRows = RETENTION_STEP_ROWS,
): Generator<void, number> {
  const tx = <T>(fn: () => T): T => immediateTransaction(db, fn);
  const ids = (
    db
      .prepare(
        `SELECT audit_id FROM audit_customers WHERE customer_id = ?1
         UNION SELECT audit_id FROM audit_customers_new WHERE customer_id = ?1`,
      )
      .all(from) as Array<{ audit_id: string }>
  ).map((r) => r.audit_id);
  const rewrite = db.prepare(
    `UPDATE audit SET doc = json_remove(json_set(doc, '$.customerIds',
       (SELECT json_group_array(CASE WHEN value = ?1 THEN ?2 ELSE value END) FROM json_each(doc, '$.customerIds'))),
       '$.queryHash')
     WHERE id = ?3`,
  );
  for (let i = 0; i < ids.length; i += stepRows) {
    tx(() => {
      for (const id of ids.slice(i, i + stepRows)) rewrite.run(from, to, id);
    });
    yield;
  }
  tx(() => {
    db.prepare(
      `INSERT OR IGNORE INTO audit_customers (customer_id, audit_id)
       SELECT ?2, audit_id FROM audit_customers WHERE customer_id = ?1`,
    ).run(from, to);
    db.prepare("DELETE FROM audit_customers WHERE customer_id = ?").run(from);
    db.prepare("UPDATE audit_customers_new SET customer_id = ?2 WHERE customer_id = ?1").run(from, to);
  });
  return ids.length;
}

/** Work for the audit thread. */
export type AuditTask =
  | { kind: "merge" }
  | { kind: "deleteBefore"; before: string }
  | { kind: "replaceCustomer"; from: string; to: string };

/** What a task did: rows moved (merge) or records deleted (retention); `error` when it failed. */
export interface AuditTaskResult {
  done: number;
  error?: string;
  /** Rows left in audit_customers_new when it ended (counted then; appends go on meanwhile). */
  recentLeft?: number;
}

function stepsOf(db: DatabaseSync, task: AuditTask): Generator<void, number> {
  if (task.kind === "merge") return auditMergeSteps(db);
  if (task.kind === "replaceCustomer") return auditReplaceSteps(db, task.from, task.to);
  return auditDeleteSteps(db, task.before);
}

const recentRows = (db: DatabaseSync) =>
  Number((db.prepare("SELECT count(*) AS n FROM audit_customers_new").get() as { n: number }).n);

interface Queued {
  task: AuditTask;
  waiting: Array<(r: AuditTaskResult) => void>;
}

const CLOSED: AuditTaskResult = { done: 0, error: "the audit thread is closed" };

/**
 * Runs the audit log's upkeep — merges and retention — on a worker thread, one task at a time, in
 * steps of a short transaction each. A merge asked for while one waits joins it. Should the thread
 * fail, tasks run on the calling thread instead, a step per event-loop turn. A failed merge leaves
 * its rows where they were; a failed retention run leaves what it had not deleted yet.
 */
export class AuditUpkeep {
  private readonly dbPath: string;
  private worker: Worker | undefined;
  private readonly queue: Queued[] = [];
  private running: Queued | undefined;
  private closed = false;
  private failed = false;
  private local: DatabaseSync | undefined;
  /** [0] set to 1 stops the thread at its next step; [1] is 1 while the audit writer waits for the lock. */
  private readonly stop = new Int32Array(new SharedArrayBuffer(8));
  /** Called with each finished task (the store keeps its count of rows left to move). */
  onDone: (task: AuditTask, result: AuditTaskResult) => void = () => {};

  constructor(dbPath: string) {
    this.dbPath = dbPath;
  }

  /** Moves the recent customer rows into the customer index; resolves with how many it moved. */
  merge(): Promise<AuditTaskResult> {
    const queued = this.queue.find((q) => q.task.kind === "merge");
    return this.enqueue(queued ?? { task: { kind: "merge" }, waiting: [] }, queued === undefined);
  }

  /** Replaces an erased customer's id by `to` in every record; resolves with how many records. */
  replaceCustomer(from: string, to: string): Promise<AuditTaskResult> {
    return this.enqueue({ task: { kind: "replaceCustomer", from, to }, waiting: [] }, true);
  }

  /** Deletes the records older than `before` with their customer rows; resolves with how many. */
  deleteBefore(before: string): Promise<AuditTaskResult> {
    return this.enqueue({ task: { kind: "deleteBefore", before }, waiting: [] }, true);
  }

  /** The audit writer found the database locked (true), or got in (false): steps make way meanwhile. */
  writerWaiting(waiting: boolean): void {
    Atomics.store(this.stop, 1, waiting ? 1 : 0);
    if (!waiting) Atomics.notify(this.stop, 1);
  }

  private enqueue(entry: Queued, push: boolean): Promise<AuditTaskResult> {
    if (this.closed) return Promise.resolve(CLOSED);
    return new Promise((resolve) => {
      entry.waiting.push(resolve);
      if (push) this.queue.push(entry);
      this.next();
    });
  }

  private next(): void {
    if (this.running || this.closed) return;
    const entry = this.queue.shift();
    if (!entry) return;
    this.running = entry;
    if (this.failed) void this.runHere(entry);
    else this.thread().postMessage(entry.task);
  }

  private finished(result: AuditTaskResult): void {
    const entry = this.running;
    if (!entry) return;
    this.running = undefined;
    this.onDone(entry.task, result);
    for (const resolve of entry.waiting) resolve(result);
    this.next();
  }

  /** The fallback: the same steps on this thread, yielding to the event loop between them. */
  private async runHere(entry: Queued): Promise<void> {
    let result: AuditTaskResult;
    try {
      this.local ??= openForUpkeep(this.dbPath);
      const steps = stepsOf(this.local, entry.task);
      for (;;) {
        const step = steps.next();
        if (step.done) {
          result = { done: step.value, recentLeft: recentRows(this.local) };
          break;
        }
        await new Promise<void>((r) => setImmediate(r));
        if (this.closed) return;
      }
    } catch (err) {
      result = { done: 0, error: (err as Error).message };
    }
    this.finished(result);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { [WORKER_MARK]: this.dbPath, stop: this.stop },
    });
    worker.unref();
    worker.on("message", (result: AuditTaskResult) => this.finished(result));
    const fail = () => {
      if (this.failed) return;
      this.failed = true;
      // The task it was running did part of its steps at most; the fallback runs it again.
      if (this.running && !this.closed) void this.runHere(this.running);
    };
    worker.on("error", fail);
    worker.on("exit", () => {
      if (!this.closed) fail();
    });
    this.worker = worker;
    return worker;
  }

  /** Stops the thread after the step it is in (that step's transaction commits or rolls back whole). */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (worker) {
      const exited = new Promise<void>((r) => worker.once("exit", () => r()));
      // Kept alive until it has exited: otherwise a process with nothing else to do ends right here.
      worker.ref();
      Atomics.store(this.stop, 0, 1);
      Atomics.notify(this.stop, 0);
      worker.postMessage("close");
      // Bounded: a thread stuck in a step is terminated (SQLite rolls its transaction back).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 5_000)))]);
      clearTimeout(timer);
      await worker.terminate();
    }
    if (this.local?.isOpen) this.local.close();
    const left = [...(this.running ? [this.running] : []), ...this.queue.splice(0)];
    this.running = undefined;
    for (const entry of left) for (const resolve of entry.waiting) resolve(CLOSED);
  }
}

function openForUpkeep(dbPath: string): DatabaseSync {
  const db = new Database(dbPath);
  // The sort of a merge's rows stays in memory; a step waits for an audit commit, and one for it.
  db.exec(
    "PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768; PRAGMA secure_delete = ON;",
  );
  return db;
}

/** The worker's side: one connection of its own; a short pause between steps lets audit commits in. */
function runWorker(dbPath: string, stop: Int32Array): void {
  const db = openForUpkeep(dbPath);
  parentPort!.on("message", (message: AuditTask | "close") => {
    if (message === "close") {
      db.close();
      process.exit(0);
    }
    let result: AuditTaskResult;
    try {
      const steps = stepsOf(db, message);
      for (;;) {
        const step = steps.next();
        if (step.done) {
          result = { done: step.value, recentLeft: recentRows(db) };
          break;
        }
        // Wakes at once when close() sets the flag; stops after the step that committed.
        Atomics.wait(stop, 0, 0, 2);
        if (Atomics.load(stop, 0) === 1) return;
        // A lookup's audit record waits for the lock: let it in first (bounded, should it never come).
        for (let i = 0; i < 10 && Atomics.load(stop, 1) === 1; i++) Atomics.wait(stop, 1, 1, 5);
      }
    } catch (err) {
      result = { done: 0, error: (err as Error).message };
    }
    parentPort!.postMessage(result);
  });
}

// Only the thread started above runs the worker side (vitest and others run modules in workers too).
if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_MARK]) {
  const data = workerData as { [WORKER_MARK]: string; stop: Int32Array };
  runWorker(data[WORKER_MARK], data.stop);
}

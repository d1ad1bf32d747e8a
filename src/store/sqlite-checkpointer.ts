/**
 * WAL checkpoints of the embedded store, run on a thread of their own. Copying a few hundred megabytes
 * of WAL back into the database held the writing thread — the HTTP thread — for 1.3-1.5 s at a time
 * while a delivery landed (1,000,000 customers, 2-vCPU Xeon, 2026-12-01). SQLite lets a checkpoint run
 * on another connection while the writer goes on (`PASSIVE`: it copies what no reader still needs and
 * waits for nobody), but only a checkpoint by the writer itself lets the WAL start afresh while writes
 * keep coming. So the writer keeps SQLite's own checkpoint at its WAL size limit, and once the WAL is
 * past `fromBytes` this thread copies frames after every commit, one pass after another: the writer's
 * checkpoint then finds only the last few frames left to copy. Should the thread fail, that writer-side
 * checkpoint does all the work itself.
 */
import { statSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const WORKER_MARK = "klantherkenningWalCheckpointer";

/** What one checkpoint did (SQLite's `PRAGMA wal_checkpoint` answer). */
export interface CheckpointResult {
  /** 1 when it could not run at all (another checkpoint held the lock). */
  busy: number;
  /** Frames in the WAL, and frames copied into the database. */
  log: number;
  checkpointed: number;
}

/** Runs PASSIVE checkpoints of one database on a worker thread, one at a time. */
export class WalCheckpointer {
  private readonly dbPath: string;
  private readonly walPath: string;
  private readonly fromBytes: number;
  private worker: Worker | undefined;
  private running = false;
  /** A commit came while a pass ran: run another once it is done. */
  private again = false;
  private closed = false;
  private failed = false;
  /** Callers of `checkpoint()` waiting for the next pass, and for the one running. */
  private waiting: Array<(r: CheckpointResult) => void> = [];
  private inPass: Array<(r: CheckpointResult) => void> = [];
  private done = 0;

  /** `fromBytes`: WAL size from which commits are followed by passes (the WAL is cut back on reset). */
  constructor(dbPath: string, fromBytes: number) {
    this.dbPath = dbPath;
    this.walPath = `${dbPath}-wal`;
    this.fromBytes = fromBytes;
  }

  /** Call after a commit: once the WAL is past `fromBytes`, a pass starts now or after the running one. */
  afterCommit(): void {
    if (this.failed || this.closed || walSize(this.walPath) < this.fromBytes) return;
    if (this.running) this.again = true;
    else this.run();
  }

  /** Runs a pass now (or after the running one) and resolves with what it did. */
  checkpoint(): Promise<CheckpointResult> {
    if (this.failed) return Promise.reject(new Error("the WAL checkpoint thread has failed"));
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.running) this.again = true;
      else this.run();
    });
  }

  /** Passes finished so far. */
  get completed(): number {
    return this.done;
  }

  private run(): void {
    this.running = true;
    this.inPass = this.waiting;
    this.waiting = [];
    this.thread().postMessage("checkpoint");
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL(import.meta.url), { workerData: { [WORKER_MARK]: this.dbPath } });
    // Nothing waits on it: the process may end while it sleeps (SQLite checkpoints on the last close).
    worker.unref();
    worker.on("message", (result: CheckpointResult) => {
      this.running = false;
      this.done++;
      for (const resolve of this.inPass.splice(0)) resolve(result);
      if (this.again && !this.closed) {
        this.again = false;
        this.run();
      }
    });
    // The writer's own checkpoints take over; waiting callers learn of it.
    const fail = () => {
      this.failed = true;
      this.running = false;
      for (const resolve of [...this.inPass.splice(0), ...this.waiting.splice(0)])
        resolve({ busy: 1, log: -1, checkpointed: -1 });
    };
    worker.on("error", fail);
    worker.on("exit", () => {
      if (!this.closed) fail();
    });
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.terminate();
  }
}

function walSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The worker's side: one connection of its own, a PASSIVE checkpoint per request. */
function runWorker(dbPath: string): void {
  const db = new DatabaseSync(dbPath);
  const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
  parentPort!.on("message", () => {
    let result: CheckpointResult;
    try {
      const row = checkpoint.get() as { busy: number; log: number; checkpointed: number };
      result = { busy: Number(row.busy), log: Number(row.log), checkpointed: Number(row.checkpointed) };
    } catch {
      // Locked out this time (e.g. the database is being closed): the next commit asks again.
      result = { busy: 1, log: -1, checkpointed: -1 };
    }
    parentPort!.postMessage(result);
  });
}

// Only the thread started above runs the worker side (vitest and others run modules in workers too).
if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_MARK])
  runWorker((workerData as Record<string, string>)[WORKER_MARK]!);

/**
 * WAL checkpoints of the embedded store, run on a thread of their own. Copying a few hundred megabytes
 * of WAL back into the database held the writing thread — the HTTP thread — for 1.3-1.5 s at a time
 * while a delivery landed (1,000,000 customers, 2-vCPU Xeon, 2026-12-01). SQLite lets a checkpoint run
 * on another connection while the writer goes on (`PASSIVE`: it copies what no reader still needs and
 * waits for nobody); the next write transaction after a complete checkpoint starts the WAL afresh.
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

/** Starts checkpoints of one database on a worker thread when its WAL has grown past a size. */
export class WalCheckpointer {
  private readonly dbPath: string;
  private readonly walPath: string;
  private readonly thresholdBytes: number;
  private worker: Worker | undefined;
  private running = false;
  private closed = false;
  private failure: Error | undefined;
  private readonly waiting: Array<(r: CheckpointResult) => void> = [];
  private done = 0;

  /** `thresholdBytes`: WAL size from which a checkpoint is started. */
  constructor(dbPath: string, thresholdBytes: number) {
    this.dbPath = dbPath;
    this.walPath = `${dbPath}-wal`;
    this.thresholdBytes = thresholdBytes;
  }

  /**
   * Call after a commit: starts a checkpoint when the WAL is past the threshold and none is running.
   * Answers false when the thread cannot checkpoint (it failed): the caller then does it itself.
   */
  afterCommit(): boolean {
    if (this.failure) return false;
    if (this.running || this.closed) return true;
    if (walSize(this.walPath) < this.thresholdBytes) return true;
    this.run();
    return true;
  }

  /** Runs a checkpoint now (or joins the running one) and resolves with what it did. */
  checkpoint(): Promise<CheckpointResult> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.push(resolve);
      if (!this.running) this.run();
    });
  }

  /** Checkpoints finished so far (asked for or started by a commit). */
  get completed(): number {
    return this.done;
  }

  private run(): void {
    this.running = true;
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
      for (const resolve of this.waiting.splice(0)) resolve(result);
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      this.running = false;
      this.waiting.splice(0);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (!this.closed) fail(new Error(`WAL checkpoint thread stopped (exit ${code})`));
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

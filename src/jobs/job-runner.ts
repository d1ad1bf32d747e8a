import { randomUUID } from "node:crypto";
import PQueue from "p-queue";
import type { HeldLease, LeaseKeeper } from "../cluster/lease-keeper.ts";
import type { ErasureReceipt } from "../domain/erasure-receipt.ts";
import type { Job } from "../domain/model.ts";
import type { Indexer } from "../indexer/indexer.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/store.ts";

/** Progress callback of a long job: `done` of `total` units. */
export type OnProgress = (done: number, total: number) => void;

/** How a job was asked for. */
export interface JobOptions {
  /** A purge that only says what it would delete. */
  dryRun?: boolean;
  /** An erasure's subject (required for type `erasure`). */
  erasure?: NonNullable<Job["erasure"]>;
}

/**
 * Dependencies of the job runner; `purge` applies retention (src/retention/purge-run.ts) and answers
 * its erasure receipt.
 */
export interface JobRunnerDeps {
  store: Store;
  indexer: Pick<Indexer, "reindexAll">;
  purge: (onProgress: OnProgress, options: JobOptions) => Promise<ErasureReceipt>;
  /** Erases one person (src/privacy/erase-person.ts) and answers the erasure receipt. */
  erase?: (subject: NonNullable<Job["erasure"]>, onProgress: OnProgress) => Promise<ErasureReceipt>;
  logger: Logger;
  now?: () => Date;
  /** Told every job as it ends (completed or failed), as stored. */
  onFinished?: (job: Job) => void;
  /**
   * Several instances on one store: a job runs under the lease of its type (`job:reindex`,
   * `job:purge`), so a type runs on one instance at a time; a job asked for while another instance
   * ran one of its type is answered by that run (`coveredBy`) when it completes. Without, this
   * process is the only one.
   */
  leases?: LeaseKeeper;
}

/**
 * Job types whose runs are all alike, so one run answers every request of its type made before it
 * ended; a job about one subject (an erasure) is never answered by another's run.
 */
const COALESCING = new Set<string>(["reindex", "purge"]);

/** The lease a job of this type runs under. */
export const jobLease = (type: Job["type"]) => `job:${type}`;

/** Background jobs: queued, run one at a time, state and progress kept in the store. */
export interface JobRunner {
  submit(type: Job["type"], createdBy?: string, options?: JobOptions): Promise<Job>;
  get(id: string): Promise<Job | null>;
  /** Jobs queued or running. */
  pending(): number;
  /** Whether a job of this type is queued or running in this runner. */
  active(type: Job["type"]): boolean;
  /** Resolves when no job is queued or running. */
  onIdle(): Promise<void>;
}

/** Creates the job runner (p-queue, concurrency 1: a reindex and a purge never overlap). */
export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const queue = new PQueue({ concurrency: 1 });
  const now = deps.now ?? (() => new Date());

  /**
   * Takes the job type's lease, waiting while another instance runs that type; answers null when the
   * last run of the type, on any instance, completed after this job was asked for: this job is then
   * recorded as covered by it.
   */
  async function leaseFor(job: Job, leases: LeaseKeeper): Promise<HeldLease | null> {
    const others = new Set<string>();
    const lease = await leases.take(jobLease(job.type), job.id, (held) => {
      if (held.note && held.note !== job.id && COALESCING.has(job.type)) others.add(held.note);
    });
    for (const id of others) {
      const other = await deps.store.getJob(id);
      if (other?.status !== "completed" || other.type !== job.type || !other.finishedAt) continue;
      // Only the same request: a dry run answers only a dry run.
      if ((other.dryRun === true) !== (job.dryRun === true)) continue;
      // A run that ended after this job was asked for (not within the same millisecond) stands for it:
      // a reindex takes in what changed while it ran (src/indexer/indexer.ts), a purge's cutoff is the
      // same to within that time.
      if (other.finishedAt <= job.createdAt) continue;
      await deps.store.putJob({
        ...job,
        status: "completed",
        coveredBy: other.id,
        progress: other.progress,
        ...(other.startedAt ? { startedAt: other.startedAt } : {}),
        finishedAt: other.finishedAt ?? now().toISOString(),
      });
      deps.logger.info(
        { job: job.id, type: job.type, coveredBy: other.id },
        "job answered by another instance's run",
      );
      await lease.release();
      return null;
    }
    return lease;
  }

  async function run(job: Job): Promise<void> {
    const lease = deps.leases ? await leaseFor(job, deps.leases) : undefined;
    if (lease === null) return;
    try {
      await runHeld(job);
    } finally {
      await lease?.release().catch(() => {});
    }
  }

  async function runHeld(job: Job): Promise<void> {
    let current: Job = { ...job, status: "running", startedAt: now().toISOString() };
    await deps.store.putJob(current);
    let lastWrite = 0;
    const onProgress: OnProgress = (done, total) => {
      current = { ...current, progress: { done, total } };
      // Progress is written at most twice a second: a reindex reports per batch.
      if (Date.now() - lastWrite > 500) {
        lastWrite = Date.now();
        void deps.store.putJob(current).catch(() => {});
      }
    };
    try {
      if (job.type === "reindex") {
        await deps.indexer.reindexAll(onProgress);
      } else if (job.type === "erasure") {
        if (!deps.erase || !job.erasure) throw new Error("this service cannot erase");
        const receipt = await deps.erase(job.erasure, onProgress);
        // Done: the job keeps the tombstone and the reason, no longer whom they stand for.
        current = {
          ...current,
          receipt,
          erasure: { tombstone: job.erasure.tombstone, reason: job.erasure.reason },
        };
      } else {
        const receipt = await deps.purge(onProgress, { dryRun: job.dryRun === true });
        current = { ...current, receipt };
        deps.logger.info({ job: job.id, dryRun: job.dryRun === true, receipt }, "purge receipt");
      }
      current = { ...current, status: "completed", finishedAt: now().toISOString() };
      if (current.progress.total === 0) current.progress = { done: 1, total: 1 };
    } catch (err) {
      deps.logger.error({ job: job.id, type: job.type, err: (err as Error).message }, "job failed");
      current = {
        ...current,
        status: "failed",
        finishedAt: now().toISOString(),
        error: (err as Error).message.slice(0, 500),
      };
    }
    await deps.store.putJob(current);
    deps.onFinished?.(current);
  }

  // Queued or running jobs by type.
  const activeTypes = new Map<Job["type"], number>();
  const track = (type: Job["type"], delta: number) =>
    activeTypes.set(type, (activeTypes.get(type) ?? 0) + delta);

  return {
    async submit(type, createdBy, options = {}) {
      const job: Job = {
        id: randomUUID(),
        type,
        status: "queued",
        progress: { done: 0, total: 0 },
        createdAt: now().toISOString(),
        ...(createdBy ? { createdBy } : {}),
        ...(type === "purge" && options.dryRun ? { dryRun: true } : {}),
        ...(type === "erasure" && options.erasure ? { erasure: options.erasure } : {}),
      };
      await deps.store.putJob(job);
      track(type, 1);
      void queue.add(() => run(job)).finally(() => track(type, -1));
      return job;
    },
    active: (type) => (activeTypes.get(type) ?? 0) > 0,
    get: (id) => deps.store.getJob(id),
    pending: () => queue.size + queue.pending,
    onIdle: () => queue.onIdle(),
  };
}

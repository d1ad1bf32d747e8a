import { Worker } from "node:worker_threads";
import type { ScrubResult } from "../domain/erasure-receipt.ts";
import { AppError, type ErrorCode } from "../domain/errors.ts";
import type { CustomerSearch, SearchCallOptions, SearchInput, SearchResponse } from "./customer-search.ts";
import type {
  BulkResult,
  CustomerDoc,
  IndexRebuild,
  RetrievalQuery,
  SearchEngine,
  ValueCount,
  ValueField,
} from "./search-engine.ts";
import type { SearchWorkerData, SerialisedAnswer, WorkerError } from "./search-worker.ts";
import { CANCEL_SLOTS } from "./worker-cancel.ts";

/** Young-generation size of the search worker's heap (V8's default is 16–32 MB on this machine). */
const YOUNG_GENERATION_MB = 96;

/**
 * Documents per write message: the worker takes messages in turn, so a search that arrives while a
 * delivery is being indexed waits for at most one such write (a 500-document write took 100-290 ms at
 * 1,000,000 customers on the 2-vCPU Xeon, 2026-12-01; 100 documents are a fifth of that work).
 */
const WRITE_SLICE = 100;

/** Options of the worker-thread engine: the embedded engine's. */
export type WorkerEngineOptions = Omit<SearchWorkerData, "cancelled">;

interface Call {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * The embedded engine on a worker thread: index, documents and the whole customer search (retrieve,
 * score, rank) run there, using the second core, while the HTTP thread parses, authorises and audits.
 * Writes go to the same worker, in the order they are made. If the worker dies every call fails with
 * ENGINE_UNAVAILABLE (readiness turns 503) rather than answering from nothing.
 */
export class WorkerSearchEngine implements SearchEngine {
  readonly name = "embedded" as const;
  private readonly worker: Worker;
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  private failure: AppError | undefined;
  /** Shared with the worker: a cancelled read's id in its slot (see SearchWorkerData.cancelled). */
  private readonly cancelled = new Int32Array(new SharedArrayBuffer(4 * CANCEL_SLOTS));

  constructor(options: WorkerEngineOptions) {
    this.worker = new Worker(new URL("./search-worker.ts", import.meta.url), {
      workerData: { ...options, cancelled: this.cancelled } satisfies SearchWorkerData,
      // A search leaves megabytes of short-lived garbage; a larger young generation scavenges less
      // often and promotes less of it, so fewer pauses land in the middle of queued searches.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.worker.on("message", (msg: { id: number; ok: boolean; value?: unknown; error?: WorkerError }) => {
      const call = this.calls.get(msg.id);
      if (!call) return;
      this.calls.delete(msg.id);
      if (msg.ok) call.resolve(msg.value);
      else call.reject(fromWorkerError(msg.error!));
    });
    this.worker.on("error", (err) => this.fail(`search worker failed: ${err.message}`));
    this.worker.on("exit", (code) => this.fail(`search worker exited (${code})`));
  }

  private fail(message: string): void {
    this.failure ??= new AppError("ENGINE_UNAVAILABLE", message);
    for (const call of this.calls.values()) call.reject(this.failure);
    this.calls.clear();
  }

  private call<T>(op: string, ...args: unknown[]): Promise<T> {
    return this.cancellable(undefined, op, ...args);
  }

  /**
   * A read the caller may give up on: when `signal` aborts, the worker is told through the shared
   * flags (it skips the read if it has not started, or stops it at its next check) and the call
   * rejects at once with the abort's reason.
   */
  private cancellable<T>(options: SearchCallOptions | undefined, op: string, ...args: unknown[]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const signal = options?.signal as AbortSignal | undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        Atomics.store(this.cancelled, id % CANCEL_SLOTS, id);
        this.calls.delete(id);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => signal?.removeEventListener("abort", onAbort);
      this.calls.set(id, {
        resolve: (v) => {
          done();
          resolve(v as T);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      this.worker.postMessage({ id, op, args });
    });
  }

  init(): Promise<void> {
    return this.call("init");
  }
  async close(): Promise<void> {
    if (this.failure) return;
    await this.call("close");
    this.failure = new AppError("ENGINE_UNAVAILABLE", "embedded search engine is closed");
    await this.worker.terminate();
  }
  ping(): Promise<void> {
    return this.call("ping");
  }
  upsert(docs: readonly CustomerDoc[]): Promise<BulkResult> {
    return this.sliced(docs, (slice) => this.call("upsert", slice));
  }

  /** Writes `docs` one WRITE_SLICE after another, each its own message; one result for them all. */
  private async sliced(
    docs: readonly CustomerDoc[],
    write: (slice: readonly CustomerDoc[]) => Promise<BulkResult>,
  ): Promise<BulkResult> {
    if (docs.length <= WRITE_SLICE) return write(docs);
    const result: BulkResult = { written: 0, rejected: [] };
    for (let i = 0; i < docs.length; i += WRITE_SLICE) {
      const part = await write(docs.slice(i, i + WRITE_SLICE));
      result.written += part.written;
      result.rejected.push(...part.rejected);
    }
    return result;
  }
  remove(customerIds: readonly string[]): Promise<void> {
    return this.call("remove", customerIds);
  }
  get(customerId: string): Promise<CustomerDoc | null> {
    return this.call("get", customerId);
  }
  count(): Promise<number> {
    return this.call("count");
  }
  topValues(field: ValueField, size: number): Promise<ValueCount[]> {
    return this.call("topValues", field, size);
  }
  retrieve(query: RetrievalQuery, options?: SearchCallOptions): Promise<CustomerDoc[]> {
    return this.cancellable(options, "retrieve", query);
  }
  refresh(): Promise<void> {
    return this.call("refresh");
  }
  expungeDeleted(): Promise<ScrubResult> {
    return this.call("expungeDeleted");
  }
  async beginRebuild(): Promise<IndexRebuild> {
    const handle = await this.call<number>("beginRebuild");
    return {
      upsert: (docs) => this.sliced(docs, (slice) => this.call("rebuildUpsert", handle, slice)),
      commit: () => this.call("rebuildCommit", handle),
      abort: () => this.call("rebuildAbort", handle),
    };
  }
  /** Calls sent to the search thread and not answered yet (its queue, and the one it runs). */
  get inFlight(): number {
    return this.calls.size;
  }
  /** How many reads the worker skipped or stopped because their caller had given up on them. */
  cancelledReads(): Promise<number> {
    return this.call("cancelledReads");
  }
  /** The customer search, run whole on the worker. */
  search(input: SearchInput, options?: SearchCallOptions): Promise<SearchResponse> {
    return this.cancellable(options, "search", input);
  }
  /** The caller lookup, run whole on the worker. */
  callers(phone: string, limit?: number, options?: SearchCallOptions): Promise<SearchResponse> {
    return this.cancellable(options, "callers", phone, limit);
  }
  /** The customer search, answered as its JSON body. */
  searchJson(input: SearchInput, options?: SearchCallOptions): Promise<SerialisedAnswer> {
    return this.cancellable(options, "searchJson", input);
  }
  /** The caller lookup, answered as its JSON body. */
  callersJson(phone: string, limit?: number, options?: SearchCallOptions): Promise<SerialisedAnswer> {
    return this.cancellable(options, "callersJson", phone, limit);
  }
}

/** Customer search whose answers arrive as the HTTP body already (same answers as CustomerSearch). */
export interface SerialisedSearch {
  search(input: SearchInput, options?: SearchCallOptions): Promise<SerialisedAnswer>;
  callers(phone: string, limit?: number, options?: SearchCallOptions): Promise<SerialisedAnswer>;
}

/** The worker's search answered as JSON bodies, for the HTTP routes. */
export function createWorkerSerialisedSearch(engine: WorkerSearchEngine): SerialisedSearch {
  return {
    search: (input, options) => engine.searchJson(input, options),
    callers: (phone, limit, options) => engine.callersJson(phone, limit, options),
  };
}

function fromWorkerError(e: WorkerError): Error {
  if (e.code) return new AppError(e.code as ErrorCode, e.message, e.details ? { details: e.details } : {});
  return new Error(e.message);
}

/** CustomerSearch answered by the worker (same service, same answers as createCustomerSearch in-thread). */
export function createWorkerCustomerSearch(engine: WorkerSearchEngine): CustomerSearch {
  return {
    search: (input, options) => engine.search(input, options),
    callers: (phone, limit, options) => engine.callers(phone, limit, options),
  };
}

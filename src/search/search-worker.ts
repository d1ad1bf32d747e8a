/**
 * Worker-thread entry of the embedded engine: holds the EmbeddedSearchEngine and runs whole searches
 * (parse, retrieve, score, rank) here, so the HTTP thread only posts a query and gets the top results.
 * Messages are `{ id, op, args }`; answers `{ id, ok, value }` or `{ id, ok: false, error }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { AppError } from "../domain/errors.ts";
import type { CancelSignal, SearchInput, SearchResponse } from "./customer-search.ts";
import { createCustomerSearch } from "./customer-search-service.ts";
import { EmbeddedSearchEngine } from "./embedded-engine.ts";
import type { CustomerDoc, IndexRebuild, RetrievalQuery, ValueField } from "./search-engine.ts";
import { callSignal } from "./worker-cancel.ts";

/** What the HTTP thread passes to the worker at start. */
export interface SearchWorkerData {
  dataDir: string;
  docCache?: number;
  /**
   * Cancellation flags shared with the HTTP thread: slot `id % length` holds `id` once call `id` is
   * cancelled. Messages arrive in order, so a cancel message would come after the search it cancels;
   * a flag is seen at once.
   */
  cancelled?: Int32Array;
}

/** A search answer as its JSON body, with the customers it names (for the audit). */
export interface SerialisedAnswer {
  json: string;
  customerIds: string[];
}

/** An error as it crosses the thread boundary (AppError keeps its stable code). */
export interface WorkerError {
  message: string;
  code?: string;
  details?: Record<string, unknown>;
}

const data = workerData as SearchWorkerData;
const engine = new EmbeddedSearchEngine({
  dataDir: data.dataDir,
  ...(data.docCache !== undefined ? { docCache: data.docCache } : {}),
});
const search = createCustomerSearch({ engine });
const rebuilds = new Map<number, IndexRebuild>();
let nextRebuild = 1;

function rebuild(handle: unknown): IndexRebuild {
  const r = rebuilds.get(handle as number);
  if (!r) throw new AppError("CONFLICT", "this rebuild was already committed or aborted");
  return r;
}

type Op = (...args: never[]) => Promise<unknown>;
// Reads take the call's cancellation as their last argument; writes never stop half-way.
const reads: Record<string, (signal: CancelSignal | undefined, ...args: never[]) => Promise<unknown>> = {
  retrieve: (signal, query: RetrievalQuery) => engine.retrieve(query, signal ? { signal } : {}),
  search: (signal, input: SearchInput) => search.search(input, signal ? { signal } : {}),
  callers: (signal, phone: string, limit?: number) => search.callers(phone, limit, signal ? { signal } : {}),
  searchJson: async (signal, input: SearchInput) =>
    serialised(await search.search(input, signal ? { signal } : {})),
  callersJson: async (signal, phone: string, limit?: number) =>
    serialised(await search.callers(phone, limit, signal ? { signal } : {})),
};
// Reads skipped or stopped because their caller had given up on them.
let cancelledReads = 0;
const ops: Record<string, Op> = {
  cancelledReads: async () => cancelledReads,
  init: () => engine.init(),
  close: () => engine.close(),
  ping: () => engine.ping(),
  upsert: (docs: CustomerDoc[]) => engine.upsert(docs),
  remove: (ids: string[]) => engine.remove(ids),
  get: (id: string) => engine.get(id),
  count: () => engine.count(),
  topValues: (field: ValueField, size: number) => engine.topValues(field, size),
  refresh: () => engine.refresh(),
  expungeDeleted: () => engine.expungeDeleted(),
  beginRebuild: async () => {
    const handle = nextRebuild++;
    rebuilds.set(handle, await engine.beginRebuild());
    return handle;
  },
  rebuildUpsert: (handle: number, docs: CustomerDoc[]) => rebuild(handle).upsert(docs),
  rebuildCommit: async (handle: number) => {
    await rebuild(handle).commit();
    rebuilds.delete(handle);
  },
  rebuildAbort: async (handle: number) => {
    await rebuild(handle).abort();
    rebuilds.delete(handle);
  },
};

// The answer as the HTTP body already: the HTTP thread then neither deserialises nor re-stringifies it.
function serialised(res: SearchResponse): SerialisedAnswer {
  return { json: JSON.stringify(res), customerIds: res.results.map((r) => r.customerId) };
}

function toWorkerError(err: unknown): WorkerError {
  if (err instanceof AppError)
    return { message: err.message, code: err.code, ...(err.details ? { details: err.details } : {}) };
  return { message: err instanceof Error ? err.message : String(err) };
}

parentPort!.on("message", (msg: { id: number; op: string; args: unknown[] }) => {
  const op = ops[msg.op];
  const read = reads[msg.op];
  const signal = callSignal(data.cancelled, msg.id);
  const run = read
    ? Promise.resolve().then(() => {
        // Cancelled while it waited its turn behind other messages: not started at all.
        signal?.throwIfAborted();
        return read(signal, ...(msg.args as never[]));
      })
    : op
      ? Promise.resolve().then(() => op(...(msg.args as never[])))
      : Promise.reject(new Error(`unknown operation ${msg.op}`));
  run.then(
    (value) => parentPort!.postMessage({ id: msg.id, ok: true, value }),
    (err: unknown) => {
      if (signal?.aborted) cancelledReads++;
      parentPort!.postMessage({ id: msg.id, ok: false, error: toWorkerError(err) });
    },
  );
});

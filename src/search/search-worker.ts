/**
 * Worker-thread entry of the embedded engine: holds the EmbeddedSearchEngine and runs whole searches
 * (parse, retrieve, score, rank) here, so the HTTP thread only posts a query and gets the top results.
 * Messages are `{ id, op, args }`; answers `{ id, ok, value }` or `{ id, ok: false, error }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { AppError } from "../domain/errors.ts";
import type { SearchInput, SearchResponse } from "./customer-search.ts";
import { createCustomerSearch } from "./customer-search-service.ts";
import { EmbeddedSearchEngine } from "./embedded-engine.ts";
import type { CustomerDoc, IndexRebuild, RetrievalQuery } from "./search-engine.ts";

/** What the HTTP thread passes to the worker at start. */
export interface SearchWorkerData {
  dataDir: string;
  docCache?: number;
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
const ops: Record<string, Op> = {
  init: () => engine.init(),
  close: () => engine.close(),
  ping: () => engine.ping(),
  upsert: (docs: CustomerDoc[]) => engine.upsert(docs),
  remove: (ids: string[]) => engine.remove(ids),
  get: (id: string) => engine.get(id),
  count: () => engine.count(),
  retrieve: (query: RetrievalQuery) => engine.retrieve(query),
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
  search: (input: SearchInput) => search.search(input),
  callers: (phone: string, limit?: number) => search.callers(phone, limit),
  searchJson: async (input: SearchInput) => serialised(await search.search(input)),
  callersJson: async (phone: string, limit?: number) => serialised(await search.callers(phone, limit)),
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
  const run = op
    ? Promise.resolve().then(() => op(...(msg.args as never[])))
    : Promise.reject(new Error(`unknown operation ${msg.op}`));
  run.then(
    (value) => parentPort!.postMessage({ id: msg.id, ok: true, value }),
    (err: unknown) => parentPort!.postMessage({ id: msg.id, ok: false, error: toWorkerError(err) }),
  );
});

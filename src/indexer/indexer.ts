import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import PQueue from "p-queue";
import type { LeaseKeeper } from "../cluster/lease-keeper.ts";
import { AppError } from "../domain/errors.ts";
import type { Customer, Policy } from "../domain/model.ts";
import type { Logger } from "../logger.ts";
import { toCustomerDoc } from "../mappings/customer-doc.ts";
import type { BulkResult, CustomerDoc, IndexRebuild, SearchEngine } from "../search/search-engine.ts";
import type { Store } from "../store/store.ts";
import { type Rejection, RejectionLog } from "./rejection-log.ts";
import { type RetryPolicy, withRetry } from "./retry.ts";

/** Agreement between store and index: counts and a sample of documents compared field by field. */
export interface ReconcileReport {
  storeCount: number;
  indexCount: number;
  sampled: number;
  mismatched: string[];
  ok: boolean;
}

/**
 * Projects the system of record into the search engine: incrementally after each delivery, and as a
 * full rebuild behind an atomic alias swap on demand.
 */
export interface Indexer {
  /** (Re)indexes these customers from the store; resolves when they are searchable. */
  indexCustomers(customerIds: readonly string[]): Promise<void>;
  /**
   * Indexes customers exactly as given, each with every policy they hold, without reading them back
   * from the store: for a writer that has just stored them.
   */
  indexRecords(records: readonly CustomerRecord[]): Promise<void>;
  /** Removes customers that no longer exist in the store. */
  removeCustomers(customerIds: readonly string[]): Promise<void>;
  /** Rebuilds the whole index from the store into a new index and swaps it in. */
  reindexAll(onProgress?: (done: number, total: number) => void): Promise<void>;
  reconcile(sampleSize?: number): Promise<ReconcileReport>;
}

/** One customer as stored, with every policy they hold (all partners). */
export interface CustomerRecord {
  customer: Customer;
  policies: readonly Policy[];
}

/** What the indexer needs: the store to read, the engine to write, and how hard to push. */
export interface IndexerOptions {
  store: Store;
  engine: SearchEngine;
  logger?: Logger;
  /** Today's date (`yyyy-mm-dd`, Europe/Amsterdam) for choosing each policy's current version. */
  today?: () => string;
  /** Customers per bulk request (default 500). */
  batchSize?: number;
  /** Bulk requests in flight at once (default 2). */
  concurrency?: number;
  /**
   * Retries of a 429 / unavailable engine: by default waits doubling from 200 ms up to 30 s, for at
   * most 30 minutes, so a delivery waits out an engine that is restarted and completes once it is back.
   */
  retry?: RetryPolicy;
  /** Directory for `index-rejections.jsonl`; without it rejections are kept in memory only. */
  dataDir?: string;
  /**
   * Several instances on one engine: a full reindex runs under the `reindex` lease, and while
   * another instance holds it every change this instance indexes is noted in the store's
   * index-change journal first, for the rebuilder to index again into the new index once it is live.
   */
  leases?: LeaseKeeper;
}

/**
 * Customers per bulk request to Elasticsearch/OpenSearch: ~3 MB requests, within the engines' advice
 * of 5–15 MB (20,000 customers into Elasticsearch 9.5.3: 2,759 docs/s in bulks of 500, 3,368 in 2,000;
 * shared 2-vCPU EPYC at load 15, 2026-12-07). The embedded engine keeps the default.
 */
export const ENGINE_BULK_DOCS = 2000;

/** The lease a full reindex holds while it fills the new index. */
export const REINDEX_LEASE = "reindex";

/** The Indexer with a view of the documents engines refused. */
export interface CustomerIndexer extends Indexer {
  /** Recently rejected documents with the engine's reason (all of them are in the JSONL log). */
  rejections(): Rejection[];
  /**
   * Takes rejections of customers the store no longer has out of the log, and those older than
   * `before` when given (a reason may quote a value); answers how many lines went.
   */
  pruneRejections(before?: string): Promise<number>;
}

const amsterdamDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" });

/** Creates the indexer that projects store customers into the search engine. */
export function createIndexer(options: IndexerOptions): CustomerIndexer {
  const { store, engine, logger, leases } = options;
  const today = options.today ?? (() => amsterdamDate.format(new Date()));
  const batchSize = options.batchSize ?? 500;
  const concurrency = options.concurrency ?? 2;
  const policy = options.retry ?? { baseDelayMs: 200, maxDelayMs: 30_000, maxWaitMs: 30 * 60_000 };
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new TypeError("batchSize must be a whole number ≥ 1");
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new TypeError("concurrency must be a whole number ≥ 1");
  const log = new RejectionLog(options.dataDir ? join(options.dataDir, "index-rejections.jsonl") : undefined);
  const retried = (e: unknown, attempt: number) =>
    logger?.warn({ err: (e as Error).message, attempt }, "search engine busy or unavailable; retrying");

  async function docsOf(customers: readonly Customer[]): Promise<CustomerDoc[]> {
    const policies = await store.policiesOfCustomers(customers.map((c) => c.customerId));
    const byCustomer = new Map<string, Policy[]>();
    for (const p of policies) {
      const list = byCustomer.get(p.customerId);
      if (list) list.push(p);
      else byCustomer.set(p.customerId, [p]);
    }
    const day = today();
    return customers.map((c) => toCustomerDoc(c, byCustomer.get(c.customerId) ?? [], day));
  }

  async function write(docs: CustomerDoc[], sink: (docs: readonly CustomerDoc[]) => Promise<BulkResult>) {
    const result = await withRetry(() => sink(docs), policy, retried);
    if (result.rejected.length > 0) {
      log.add(result.rejected);
      logger?.error(
        { rejected: result.rejected.length },
        "search engine rejected documents; see index rejections",
      );
    }
  }

  /** Runs `work` per batch with at most `concurrency` in flight; the producer waits when the queue is full. */
  async function pump<T>(batches: AsyncIterable<T> | Iterable<T>, work: (batch: T) => Promise<void>) {
    const queue = new PQueue({ concurrency });
    const running: Promise<void>[] = [];
    let failure: unknown;
    for await (const batch of batches) {
      if (failure) break;
      await queue.onSizeLessThan(concurrency);
      const p = queue.add(() => work(batch));
      // A failed batch stops the producer; the caught copy keeps an early rejection from going unhandled.
      running.push(
        p.catch((e) => {
          failure ??= e;
        }),
      );
    }
    await Promise.all(running);
    if (failure) throw failure;
  }

  // Customers changed while a rebuild runs may have been read by it before the change; they are
  // indexed again into the new index once it is live, so no delivery is lost to the swap.
  let changedDuringRebuild: Set<string> | undefined;

  /**
   * Notes ids in the store's journal while another instance rebuilds the index, before they are
   * written to the live index: a write that lands in the old index just before the swap is then
   * indexed again by the rebuilder, and one after the swap lands in the new index anyway.
   */
  async function noteIfRebuildingElsewhere(ids: readonly string[]): Promise<void> {
    if (!leases || ids.length === 0) return;
    if (await leases.heldElsewhere(REINDEX_LEASE)) await store.indexChanges.note(ids);
  }

  function* chunks<T>(items: readonly T[]) {
    for (let i = 0; i < items.length; i += batchSize) yield items.slice(i, i + batchSize);
  }

  const indexer: CustomerIndexer = {
    async indexCustomers(customerIds) {
      const ids = [...new Set(customerIds)];
      for (const id of ids) changedDuringRebuild?.add(id);
      await noteIfRebuildingElsewhere(ids);
      await pump(chunks(ids), async (chunk) => {
        const customers = await store.getCustomers(chunk);
        const found = new Set(customers.map((c) => c.customerId));
        const gone = chunk.filter((id) => !found.has(id));
        // A customer the store no longer has must not stay findable.
        if (gone.length > 0) await withRetry(() => engine.remove(gone), policy, retried);
        if (customers.length > 0) await write(await docsOf(customers), (d) => engine.upsert(d));
      });
      await withRetry(() => engine.refresh(), policy, retried);
    },

    async indexRecords(records) {
      for (const r of records) changedDuringRebuild?.add(r.customer.customerId);
      await noteIfRebuildingElsewhere(records.map((r) => r.customer.customerId));
      const day = today();
      await pump(chunks(records), (chunk) =>
        write(
          chunk.map((r) => toCustomerDoc(r.customer, r.policies, day)),
          (d) => engine.upsert(d),
        ),
      );
      await withRetry(() => engine.refresh(), policy, retried);
    },

    async removeCustomers(customerIds) {
      for (const id of customerIds) changedDuringRebuild?.add(id);
      await noteIfRebuildingElsewhere(customerIds);
      await pump(chunks([...new Set(customerIds)]), (chunk) =>
        withRetry(() => engine.remove(chunk), policy, retried),
      );
      await withRetry(() => engine.refresh(), policy, retried);
    },

    async reindexAll(onProgress) {
      if (changedDuringRebuild) throw new AppError("CONFLICT", "a full reindex is already running");
      const lease = leases ? await leases.tryTake(REINDEX_LEASE) : undefined;
      if (lease === null)
        throw new AppError("CONFLICT", "a full reindex is already running on another instance");
      // What an earlier rebuild that died left noted is read afresh by this one.
      if (leases) while ((await store.indexChanges.take(10_000)).length > 0);
      changedDuringRebuild = new Set<string>();
      const changed = changedDuringRebuild;
      let done = 0;
      let total = 0;
      let rebuild: IndexRebuild | undefined;
      try {
        total = await store.countCustomers();
        rebuild = await engine.beginRebuild();
        const target = rebuild;
        await pump(store.iterateCustomers(batchSize), async (customers) => {
          await write(await docsOf(customers), (d) => target.upsert(d));
          done += customers.length;
          onProgress?.(done, total);
        });
        await rebuild.commit();
      } catch (e) {
        await rebuild?.abort().catch(() => {});
        throw e;
      } finally {
        changedDuringRebuild = undefined;
        await lease?.release().catch(() => {});
      }
      // indexCustomers also takes out customers the store no longer has.
      if (changed.size > 0) await indexer.indexCustomers([...changed]);
      // What other instances changed meanwhile, now into the live (new) index.
      if (leases)
        for (
          let ids = await store.indexChanges.take(10_000);
          ids.length > 0;
          ids = await store.indexChanges.take(10_000)
        )
          await indexer.indexCustomers(ids);
      await withRetry(() => engine.refresh(), policy, retried);
      logger?.info({ done, total }, "full reindex committed");
    },

    async reconcile(sampleSize = 50) {
      const [storeCount, indexCount] = await Promise.all([store.countCustomers(), engine.count()]);
      // Reservoir sampling: every stored customer is equally likely to be checked, in one pass.
      const sample: Customer[] = [];
      let seen = 0;
      for await (const batch of store.iterateCustomers(1000)) {
        for (const c of batch) {
          seen++;
          if (sample.length < sampleSize) sample.push(c);
          else {
            const j = Math.floor(Math.random() * seen);
            if (j < sampleSize) sample[j] = c;
          }
        }
      }
      const expected = await docsOf(sample);
      const mismatched: string[] = [];
      for (const doc of expected) {
        const indexed = await engine.get(doc.customerId);
        if (!indexed || !isDeepStrictEqual(JSON.parse(JSON.stringify(doc)), indexed))
          mismatched.push(doc.customerId);
      }
      return {
        storeCount,
        indexCount,
        sampled: sample.length,
        mismatched,
        ok: storeCount === indexCount && mismatched.length === 0,
      };
    },

    rejections: () => log.list(),

    async pruneRejections(before) {
      const named = [...(await log.customerIds())];
      if (named.length === 0) return 0;
      const present = new Set((await store.getCustomers(named)).map((c) => c.customerId));
      return log.prune((r) => !present.has(r.customerId) || (before !== undefined && r.at < before));
    },
  };
  return indexer;
}

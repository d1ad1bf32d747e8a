import type { ScrubResult } from "../domain/erasure-receipt.ts";
import { AppError } from "../domain/errors.ts";
import { customerAlias, customerIndexDefinition, customerIndexName } from "../mappings/customer-index.ts";
import { docProblem } from "../mappings/doc-check.ts";
import type { CancelSignal } from "./customer-search.ts";
import { toSearchBody } from "./elastic-query.ts";
import {
  AliasAnswer,
  BulkAnswer,
  CountAnswer,
  ErrorAnswer,
  GetAnswer,
  HealthAnswer,
  SearchAnswer,
  ShardStatsAnswer,
  TermsAnswer,
} from "./elastic-responses.ts";
import {
  elasticsearchTransport,
  openSearchTransport,
  type RestRequest,
  type RestTransport,
} from "./elastic-transport.ts";
import type {
  BulkResult,
  CustomerDoc,
  IndexRebuild,
  RetrievalQuery,
  SearchEngine,
  ValueCount,
  ValueField,
} from "./search-engine.ts";

/** Options of the Elasticsearch/OpenSearch adapter. */
export interface ElasticEngineOptions {
  /** Prepended to the alias and index names (`test-ab12-customers`), so runs can share a cluster. */
  prefix?: string;
  replicas?: number;
  /**
   * How long `expungeDeleted` waits for the shards' retention leases to pass the last delete
   * (default 120 s; the engine renews them every 30 s), and how often it looks (default 1 s).
   */
  expunge?: { waitMs?: number; pollMs?: number; mergeTimeoutMs?: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Per-item statuses that mean "try again later", not "this document is wrong".
const RETRYABLE = new Set([429, 503]);
const ITEM_ATTEMPTS = 4;

function reasonOf(body: unknown): string {
  const parsed = ErrorAnswer.safeParse(body);
  const error = parsed.success ? parsed.data.error : undefined;
  if (typeof error === "string") return error;
  if (error) return [error.type, error.reason].filter(Boolean).join(": ");
  return JSON.stringify(body).slice(0, 200);
}

/**
 * The search port over Elasticsearch 9 or OpenSearch 3 (one core, a transport per product): the live
 * index sits behind an alias, a rebuild fills a new versioned index and swaps the alias in one
 * `_aliases` request, then drops the old index.
 */
export class ElasticSearchEngine implements SearchEngine {
  readonly name: "elasticsearch" | "opensearch";
  readonly alias: string;
  private readonly transport: RestTransport;
  private readonly prefix: string;
  private readonly replicas: number | undefined;
  private readonly expunge: Required<NonNullable<ElasticEngineOptions["expunge"]>>;

  constructor(
    name: "elasticsearch" | "opensearch",
    transport: RestTransport,
    options: ElasticEngineOptions = {},
  ) {
    this.name = name;
    this.transport = transport;
    this.prefix = options.prefix ?? "";
    this.replicas = options.replicas;
    this.alias = customerAlias(this.prefix);
    this.expunge = {
      waitMs: options.expunge?.waitMs ?? 120_000,
      pollMs: options.expunge?.pollMs ?? 1_000,
      mergeTimeoutMs: options.expunge?.mergeTimeoutMs ?? 30 * 60_000,
    };
  }

  async init(): Promise<void> {
    if ((await this.liveIndexes()).length > 0) return;
    const index = customerIndexName(this.prefix);
    await this.call({
      method: "PUT",
      path: `/${index}`,
      body: { ...this.definition(), aliases: { [this.alias]: {} } },
    });
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  async ping(): Promise<void> {
    // Not `GET /`: a node without the rest-root module (the test node built from Maven jars) answers 405.
    HealthAnswer.parse((await this.call({ method: "GET", path: "/_cluster/health" })).body);
  }

  upsert(docs: readonly CustomerDoc[]): Promise<BulkResult> {
    return this.bulkIndex(this.alias, docs);
  }

  async remove(customerIds: readonly string[]): Promise<void> {
    if (customerIds.length === 0) return;
    const ndjson = customerIds.map((id) => ({ delete: { _index: this.alias, _id: id } }));
    const answer = BulkAnswer.parse((await this.call({ method: "POST", path: "/_bulk", ndjson })).body);
    const failed = answer.items.filter((i) => i.status !== 200 && i.status !== 404);
    if (failed.length > 0)
      throw new AppError("ENGINE_UNAVAILABLE", `${this.name} could not remove ${failed.length} documents`, {
        details: { reasons: failed.slice(0, 5).map((i) => i.error?.reason ?? String(i.status)) },
      });
  }

  async get(customerId: string): Promise<CustomerDoc | null> {
    const r = await this.call(
      { method: "GET", path: `/${this.alias}/_doc/${encodeURIComponent(customerId)}` },
      [404],
    );
    if (r.status === 404) return null;
    const answer = GetAnswer.parse(r.body);
    return answer.found && answer._source ? answer._source : null;
  }

  async count(): Promise<number> {
    return CountAnswer.parse((await this.call({ method: "GET", path: `/${this.alias}/_count` })).body).count;
  }

  async topValues(field: ValueField, size: number): Promise<ValueCount[]> {
    const body = { size: 0, aggs: { values: { terms: { field, size } } } };
    const r = await this.call({ method: "POST", path: `/${this.alias}/_search`, body });
    return TermsAnswer.parse(r.body).aggregations.values.buckets.map((b) => ({
      value: b.key,
      count: b.doc_count,
    }));
  }

  async retrieve(query: RetrievalQuery, options?: { signal?: CancelSignal }): Promise<CustomerDoc[]> {
    const signal = options?.signal as AbortSignal | undefined;
    const r = await this.call({
      method: "POST",
      path: `/${this.alias}/_search`,
      body: toSearchBody(query),
      ...(signal ? { signal } : {}),
    });
    return SearchAnswer.parse(r.body).hits.hits.map((h) => h._source);
  }

  async refresh(): Promise<void> {
    await this.call({ method: "POST", path: `/${this.alias}/_refresh` });
  }

  /**
   * A deleted or replaced document stays in its Lucene segment, marked deleted, until a merge rewrites
   * the segment; with soft deletes the engine also keeps such documents while a shard's retention lease
   * (peer recovery) still needs them, and renews those leases every 30 s. So: wait until every lease
   * has passed the last operation, flush, and merge away every segment holding a deleted document
   * (`only_expunge_deletes`, with `expunge_deletes_allowed` 0 so a single delete counts). `ok` when no
   * deleted document is left; one written meanwhile by a delivery is counted too.
   */
  async expungeDeleted(): Promise<ScrubResult> {
    const started = Date.now();
    let stats = await this.shardStats();
    const target = Math.max(-1, ...shardsOf(stats).map((s) => s.seq_no?.max_seq_no ?? -1));
    const deletedBefore = deletedDocs(stats);
    const leasesPassed = (st: ShardStatsAnswer) =>
      shardsOf(st).every((s) => (s.retention_leases?.leases ?? []).every((l) => l.retaining_seq_no > target));
    while (deletedBefore > 0 && !leasesPassed(stats) && Date.now() - started < this.expunge.waitMs) {
      await sleep(this.expunge.pollMs);
      stats = await this.shardStats();
    }
    const waitedMs = Date.now() - started;
    await this.call({
      method: "PUT",
      path: `/${this.alias}/_settings`,
      body: { index: { merge: { policy: { expunge_deletes_allowed: 0 } } } },
    });
    await this.call({ method: "POST", path: `/${this.alias}/_flush` });
    const merged = Date.now();
    await this.call({
      method: "POST",
      path: `/${this.alias}/_forcemerge`,
      querystring: { only_expunge_deletes: "true" },
      timeoutMs: this.expunge.mergeTimeoutMs,
    });
    await this.call({ method: "POST", path: `/${this.alias}/_refresh` });
    const deletedAfter = deletedDocs(await this.shardStats());
    return {
      method:
        "retention leases passed; _flush; _forcemerge?only_expunge_deletes=true (expunge_deletes_allowed 0)",
      ok: deletedAfter === 0,
      details: {
        deletedDocsBefore: deletedBefore,
        deletedDocsAfter: deletedAfter,
        leasesPassed: leasesPassed(stats),
        waitedMs,
        mergeMs: Date.now() - merged,
      },
    };
  }

  private async shardStats(): Promise<ShardStatsAnswer> {
    const r = await this.call({
      method: "GET",
      path: `/${this.alias}/_stats/docs`,
      querystring: { level: "shards" },
    });
    return ShardStatsAnswer.parse(r.body);
  }

  async beginRebuild(): Promise<IndexRebuild> {
    const old = await this.liveIndexes();
    let index = customerIndexName(this.prefix);
    // Two rebuilds within one millisecond must not share an index.
    while (old.includes(index)) index = customerIndexName(this.prefix, Date.now() + 1);
    await this.call({ method: "PUT", path: `/${index}`, body: this.definition() });
    let open = true;
    const guard = () => {
      if (!open) throw new AppError("CONFLICT", "this rebuild was already committed or aborted");
    };
    return {
      upsert: async (docs) => {
        guard();
        return this.bulkIndex(index, docs);
      },
      commit: async () => {
        guard();
        open = false;
        await this.call({ method: "POST", path: `/${index}/_refresh` });
        const current = await this.liveIndexes();
        const actions = [
          ...current.map((i) => ({ remove: { index: i, alias: this.alias } })),
          { add: { index, alias: this.alias } },
        ];
        // One request: searches see the old index or the new one, never neither.
        await this.call({ method: "POST", path: "/_aliases", body: { actions } });
        if (current.length > 0) await this.call({ method: "DELETE", path: `/${current.join(",")}` }, [404]);
      },
      abort: async () => {
        guard();
        open = false;
        await this.call({ method: "DELETE", path: `/${index}` }, [404]);
      },
    };
  }

  /** Deletes every index of this prefix (tests and teardown); never touches other prefixes. */
  async dropAll(): Promise<void> {
    const r = await this.call(
      { method: "GET", path: `/_cat/indices/${this.alias}-v*`, querystring: { format: "json", h: "index" } },
      [404],
    );
    const names = Array.isArray(r.body) ? (r.body as Array<{ index: string }>).map((i) => i.index) : [];
    if (names.length > 0) await this.call({ method: "DELETE", path: `/${names.join(",")}` }, [404]);
  }

  private definition() {
    return customerIndexDefinition({ replicas: this.replicas });
  }

  private async liveIndexes(): Promise<string[]> {
    const r = await this.call({ method: "GET", path: `/_alias/${this.alias}` }, [404]);
    return r.status === 404 ? [] : Object.keys(AliasAnswer.parse(r.body));
  }

  private async bulkIndex(index: string, docs: readonly CustomerDoc[]): Promise<BulkResult> {
    const rejected: BulkResult["rejected"] = [];
    let pending = docs.filter((d) => {
      const problem = docProblem(d);
      if (!problem) return true;
      rejected.push({ customerId: String(d.customerId), reason: problem });
      return false;
    });
    let written = 0;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const ndjson = pending.flatMap((d) => [{ index: { _index: index, _id: d.customerId } }, d]);
      const answer = BulkAnswer.parse((await this.call({ method: "POST", path: "/_bulk", ndjson })).body);
      const retry: CustomerDoc[] = [];
      answer.items.forEach((item, i) => {
        const doc = pending[i]!;
        if (item.status < 300) written++;
        else if (RETRYABLE.has(item.status) && attempt < ITEM_ATTEMPTS) retry.push(doc);
        else rejected.push({ customerId: doc.customerId, reason: `${item.status} ${reasonOf(item)}` });
      });
      pending = retry;
      if (pending.length > 0) await sleep(100 * 2 ** attempt);
    }
    return { written, rejected };
  }

  private async call(req: RestRequest, allowed: number[] = []) {
    const r = await this.transport.request(req);
    if (r.status < 300 || allowed.includes(r.status)) return r;
    const message = `${this.name} ${req.method} ${req.path}: ${r.status} ${reasonOf(r.body)}`;
    if (r.status === 429) throw new AppError("RATE_LIMITED", message, { details: { status: r.status } });
    if (r.status >= 500) throw new AppError("ENGINE_UNAVAILABLE", message, { details: { status: r.status } });
    throw new AppError("INTERNAL", message, { details: { status: r.status } });
  }
}

/** Every primary shard copy in a stats answer. */
function shardsOf(stats: ShardStatsAnswer) {
  return Object.values(stats.indices).flatMap((i) =>
    Object.values(i.shards ?? {}).flatMap((copies) => copies.filter((c) => c.routing.primary)),
  );
}

/** Deleted documents still held by the primaries. */
function deletedDocs(stats: ShardStatsAnswer): number {
  return shardsOf(stats).reduce((n, s) => n + (s.docs?.deleted ?? 0), 0);
}

/** The adapter over Elasticsearch 9. */
export function createElasticsearchEngine(url: string, options?: ElasticEngineOptions): ElasticSearchEngine {
  return new ElasticSearchEngine("elasticsearch", elasticsearchTransport(url), options);
}

/** The adapter over OpenSearch 3. */
export function createOpenSearchEngine(url: string, options?: ElasticEngineOptions): ElasticSearchEngine {
  return new ElasticSearchEngine("opensearch", openSearchTransport(url), options);
}

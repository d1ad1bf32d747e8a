import { type Collection, type Db, type Filter, MongoClient } from "mongodb";
import type { ScrubResult, Verification } from "../domain/erasure-receipt.ts";
import { notFound } from "../domain/errors.ts";
import type { AuditRecord, Customer, Delivery, Job, Policy, Product } from "../domain/model.ts";
import { MongoCoordination } from "./mongo-coordination.ts";
import { MongoCustomerKeys } from "./mongo-customer-keys.ts";
import { MongoFiles } from "./mongo-files.ts";
import { deleteByIds, detectLookupMode, findByIds, type LookupMode } from "./mongo-lookup.ts";
import { MongoPartners } from "./mongo-partners.ts";
import { migratePolicyIds, policyId } from "./mongo-policy-ids.ts";
import { recoverSwaps } from "./mongo-swap.ts";
import { insertOrReplace } from "./mongo-upsert.ts";
import type {
  AuditQuery,
  DeliveryFilter,
  DeliveryPageQuery,
  MatchedCustomers,
  PolicyKey,
  ReadOptions,
  Store,
} from "./store.ts";
import type { CounterStore, IndexChangeStore, LeaseStore } from "./store-coordination.ts";

type WithId<T> = T & { _id: string };
/** Collections whose documents carry personal data (or keys made of it). */
const PERSONAL_COLLECTIONS = [
  "customers",
  "customer_keys",
  "policies",
  "deliveries",
  "files.files",
  "files.chunks",
];
type PolicyDoc = Policy & { _id: string };
const NO_ID = { projection: { _id: 0 } } as const;

/** Options of the MongoDB store: server URL and database name. */
export interface MongoStoreOptions {
  url: string;
  dbName?: string;
  /** `false` forces MongoDB's `$in` look-ups and bulk upserts; by default init() asks the server. */
  scan?: boolean;
  /**
   * How long an operation waits to find a server (and to connect): past it, it fails, and a lookup
   * answers 503 instead of hanging (default 2 s; the driver's own default is 30 s).
   */
  timeoutMs?: number;
}

/**
 * The system of record on MongoDB (and FerretDB 1.24, which CI runs): one collection per record
 * type, upserts by natural key, identity keys in their own collection keyed by `_id`, multikey
 * indexes on lineage, files in GridFS. Batch look-ups go by `_id` (see mongo-lookup.ts).
 * No multi-document transactions (FerretDB 1.x has none): every write is an idempotent upsert, so a
 * batch cut short is completed by running it again.
 */
export class MongoStore implements Store {
  readonly kind = "mongodb" as const;
  private readonly client: MongoClient;
  private readonly db: Db;
  /** The database this store lives in. */
  readonly dbName: string;
  private readonly files: MongoFiles;
  // Until init() has asked the server, `$in` (correct everywhere, fast on MongoDB).
  private mode: LookupMode = { scan: false };
  private keys: MongoCustomerKeys;
  private readonly scanOverride: boolean | undefined;
  readonly partners: MongoPartners;
  private readonly coordination: MongoCoordination;
  readonly leases: LeaseStore;
  readonly counters: CounterStore;
  readonly indexChanges: IndexChangeStore;

  constructor(options: MongoStoreOptions) {
    this.scanOverride = options.scan;
    const timeoutMs = options.timeoutMs ?? 2_000;
    this.client = new MongoClient(options.url, {
      retryWrites: true,
      ignoreUndefined: true,
      serverSelectionTimeoutMS: timeoutMs,
      connectTimeoutMS: timeoutMs,
    });
    this.dbName = options.dbName ?? "klantherkenning";
    this.db = this.client.db(this.dbName);
    this.files = new MongoFiles(this.db);
    this.keys = new MongoCustomerKeys(this.db, this.mode);
    this.partners = new MongoPartners(this.db);
    this.coordination = new MongoCoordination(this.db, () => this.mode);
    this.leases = this.coordination.leases;
    this.counters = this.coordination.counters;
    this.indexChanges = this.coordination.indexChanges;
  }

  private get deliveries(): Collection<WithId<Delivery>> {
    return this.db.collection("deliveries");
  }
  private get customers(): Collection<WithId<Customer>> {
    return this.db.collection("customers");
  }
  private get policies(): Collection<PolicyDoc> {
    return this.db.collection("policies");
  }
  private get products(): Collection<WithId<Product>> {
    return this.db.collection("products");
  }
  private get jobs(): Collection<WithId<Job>> {
    return this.db.collection("jobs");
  }
  private get audit(): Collection<WithId<AuditRecord>> {
    return this.db.collection("audit");
  }

  async init(): Promise<void> {
    await this.client.connect();
    const detected = await detectLookupMode(this.db);
    this.mode = this.scanOverride === false ? { scan: false } : detected;
    this.keys = new MongoCustomerKeys(this.db, this.mode);
    await this.deliveries.createIndex({ partner: 1, sha256: 1, receivedAt: 1 });
    await this.deliveries.createIndex({ receivedAt: 1 });
    await this.deliveries.createIndex({ status: 1 });
    await this.customers.createIndex({ deliveryIds: 1 });
    await this.policies.createIndex({ partner: 1, policyNumber: 1 }, { unique: true });
    await this.policies.createIndex({ customerId: 1 });
    await this.policies.createIndex({ policyNumber: 1 });
    await this.policies.createIndex({ deliveryIds: 1 });
    await this.audit.createIndex({ at: 1 });
    await this.audit.createIndex({ customerIds: 1 });
    await this.files.init();
    await this.coordination.init();
    await this.keys.init();
    await this.keys.migrate();
    await migratePolicyIds(this.db);
    await recoverSwaps(this.db);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  /** Drops the whole database (tests clean up with this). */
  async dropDatabase(): Promise<void> {
    await this.db.dropDatabase();
  }

  putFile(id: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
    return this.files.put(id, chunks);
  }
  readFile(id: string): AsyncIterable<Uint8Array> {
    return this.files.read(id);
  }
  deleteFile(id: string): Promise<void> {
    return this.files.delete(id);
  }

  async insertDelivery(d: Delivery): Promise<void> {
    await this.deliveries.replaceOne({ _id: d.id }, d, { upsert: true });
  }

  async updateDelivery(id: string, patch: Partial<Omit<Delivery, "id">>): Promise<void> {
    const current = await this.getDelivery(id);
    if (!current) throw notFound(`delivery ${id}`);
    // Replace rather than $set so a patch that clears an optional field (undefined) really clears it.
    await this.insertDelivery({ ...current, ...patch, id });
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    return this.deliveries.findOne({ _id: id }, NO_ID);
  }

  async pageDeliveries(query: DeliveryPageQuery): Promise<Delivery[]> {
    const and: Filter<WithId<Delivery>>[] = [];
    if (query.partner) and.push({ partner: query.partner });
    if (query.status) and.push({ status: { $in: [...query.status] } });
    if (query.from) and.push({ receivedAt: { $gte: query.from } });
    if (query.to) and.push({ receivedAt: { $lt: query.to } });
    if (query.before) {
      const { receivedAt, id } = query.before;
      and.push({ $or: [{ receivedAt: { $lt: receivedAt } }, { receivedAt, _id: { $lt: id } }] });
    }
    return this.deliveries
      .find(and.length > 0 ? { $and: and } : {}, NO_ID)
      .sort({ receivedAt: -1, _id: -1 })
      .limit(query.limit)
      .toArray();
  }

  async findDeliveryBySha256(partner: string, sha256: string): Promise<Delivery | null> {
    const [first] = await this.deliveries
      .find({ partner, sha256, duplicateOf: { $exists: false }, status: { $ne: "failed" } }, NO_ID)
      .sort({ receivedAt: 1, _id: 1 })
      .limit(1)
      .toArray();
    return first ?? null;
  }

  async listDeliveries(filter: DeliveryFilter): Promise<Delivery[]> {
    const q: Filter<WithId<Delivery>> = {};
    if (filter.status) q.status = { $in: [...filter.status] };
    if (filter.receivedBefore) q.receivedAt = { $lt: filter.receivedBefore };
    if (filter.partner) q.partner = filter.partner;
    return this.deliveries.find(q, NO_ID).sort({ receivedAt: 1, _id: 1 }).toArray();
  }

  async deleteDelivery(id: string): Promise<void> {
    await this.deliveries.deleteOne({ _id: id });
  }

  async getCustomer(id: string, options?: ReadOptions): Promise<Customer | null> {
    return this.customers.findOne(
      { _id: id },
      { ...NO_ID, ...(options?.signal ? { signal: options.signal } : {}) },
    );
  }

  async getCustomers(ids: readonly string[]): Promise<Customer[]> {
    const docs = await findByIds(this.customers, ids, this.mode);
    return docs.sort((a, b) => (a._id < b._id ? -1 : 1)).map(({ _id, ...c }) => c as Customer);
  }

  async findCustomersByMatchKeys(keys: readonly string[]): Promise<MatchedCustomers> {
    const customerIds = await this.keys.find(keys);
    const customers = await this.getCustomers([...new Set(customerIds.values())]);
    return { customerIds, customers };
  }

  /** `stored` is not needed here: the key bookkeeping reads the lookup itself (mongo-customer-keys.ts). */
  async putCustomers(customers: readonly Customer[], _stored?: ReadonlyMap<string, Customer>): Promise<void> {
    if (customers.length === 0) return;
    // Keys before documents: a run cut short in between is completed by running it again.
    await this.keys.put(customers);
    await insertOrReplace(
      this.customers,
      customers.map((c) => ({ _id: c.customerId, ...c })),
      this.mode,
    );
  }

  async deleteCustomers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.keys.remove(ids);
    await deleteByIds(this.customers, ids, this.mode);
  }

  async *iterateCustomers(batchSize: number): AsyncIterable<Customer[]> {
    let after = "";
    for (;;) {
      const batch = await this.customers
        .find({ _id: { $gt: after } })
        .sort({ _id: 1 })
        .limit(batchSize)
        .toArray();
      if (batch.length === 0) return;
      after = batch.at(-1)!._id;
      yield batch.map(({ _id, ...c }) => c);
      if (batch.length < batchSize) return;
    }
  }

  async countCustomers(): Promise<number> {
    return this.customers.countDocuments();
  }

  async customerIdsByDelivery(deliveryId: string): Promise<string[]> {
    const docs = await this.customers
      .find({ deliveryIds: deliveryId }, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .toArray();
    return docs.map((d) => d._id);
  }

  async getPolicies(keys: readonly PolicyKey[]): Promise<Policy[]> {
    const ids = keys.map((k) => policyId(k.partner, k.policyNumber));
    return (await findByIds(this.policies, ids, this.mode)).map(({ _id, ...p }) => p as Policy);
  }

  async putPolicies(policies: readonly Policy[]): Promise<void> {
    // Insert in bulk, replace what exists (duplicate key): no look-up first, which scans on FerretDB.
    await insertOrReplace(
      this.policies,
      policies.map((p) => ({ _id: policyId(p.partner, p.policyNumber), ...p })),
      this.mode,
    );
  }

  async deletePolicies(keys: readonly PolicyKey[]): Promise<void> {
    await deleteByIds(
      this.policies,
      keys.map((k) => policyId(k.partner, k.policyNumber)),
      this.mode,
    );
  }

  async policiesOfCustomers(customerIds: readonly string[], options?: ReadOptions): Promise<Policy[]> {
    if (customerIds.length === 0) return [];
    return this.policies
      .find(
        { customerId: { $in: [...customerIds] } },
        { ...NO_ID, ...(options?.signal ? { signal: options.signal } : {}) },
      )
      .sort({ customerId: 1, partner: 1, policyNumber: 1 })
      .toArray();
  }

  async findPoliciesByNumber(policyNumber: string): Promise<Policy[]> {
    return this.policies.find({ policyNumber }, NO_ID).sort({ partner: 1 }).toArray();
  }

  async policyNumbersOfPartner(partner: string): Promise<string[]> {
    const docs = await this.policies
      .find({ partner }, { projection: { _id: 0, policyNumber: 1 } })
      .sort({ policyNumber: 1 })
      .toArray();
    return docs.map((d) => d.policyNumber);
  }

  async policyKeysByDelivery(deliveryId: string): Promise<PolicyKey[]> {
    const docs = await this.policies
      .find({ deliveryIds: deliveryId }, { projection: { _id: 0, partner: 1, policyNumber: 1 } })
      .sort({ partner: 1, policyNumber: 1 })
      .toArray();
    return docs.map((d) => ({ partner: d.partner, policyNumber: d.policyNumber }));
  }

  async putProduct(product: Product): Promise<void> {
    // Two upserts of one new _id at once: one inserts, the other may fail on the duplicate key
    // (FerretDB does not retry it); by then the document exists and a second try replaces it.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.products.replaceOne({ _id: product.code }, product, { upsert: true });
        return;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000 || attempt >= 3) throw err;
      }
    }
  }
  /**
   * A version is claimed by inserting it under `CODE@vN` into `product_versions`: an insert of a
   * taken `_id` fails in one step on MongoDB and FerretDB alike, where a replace filtered by version
   * is not atomic on FerretDB 1.x (two writers both matched). The claimant then writes the product.
   * A claim whose product was never written (a crash in between) is written by the next writer that
   * runs into it, so no version stays claimed and unwritten.
   */
  async putProductIfVersion(
    product: Product & { version: number },
    expectedVersion: number | null,
  ): Promise<boolean> {
    if (product.version !== (expectedVersion ?? 0) + 1)
      throw new TypeError("a product's next version is the one it replaces plus one");
    const versions = this.db.collection<Product & { _id: string }>("product_versions");
    const _id = `${product.code}@v${product.version}`;
    try {
      await versions.insertOne({ _id, ...product });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const claimed = await versions.findOne({ _id }, NO_ID);
      const stored = (await this.getProduct(product.code)) as (Product & { version?: number }) | null;
      if (claimed && (stored?.version ?? 1) < product.version) await this.putProduct(claimed);
      return false;
    }
    await this.putProduct(product);
    return true;
  }
  async getProduct(code: string): Promise<Product | null> {
    return this.products.findOne({ _id: code }, NO_ID);
  }
  async listProducts(): Promise<Product[]> {
    return this.products.find({}, NO_ID).sort({ _id: 1 }).toArray();
  }

  async putJob(job: Job): Promise<void> {
    await this.jobs.replaceOne({ _id: job.id }, job, { upsert: true });
  }
  async getJob(id: string): Promise<Job | null> {
    return this.jobs.findOne({ _id: id }, NO_ID);
  }
  async recentJobs(type: Job["type"], limit: number): Promise<Job[]> {
    return this.jobs.find({ type }, NO_ID).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
  }

  async appendAudit(record: AuditRecord): Promise<void> {
    await this.audit.insertOne({ _id: record.id, ...record });
  }

  async queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const q: Filter<WithId<AuditRecord>> = {};
    if (query.from || query.to)
      q.at = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) };
    if (query.subject) q.subject = query.subject;
    if (query.customerId) q.customerIds = query.customerId;
    return this.audit.find(q, NO_ID).sort({ at: -1, _id: -1 }).limit(query.limit).toArray();
  }

  async deleteAuditBefore(before: string): Promise<number> {
    return (await this.audit.deleteMany({ at: { $lt: before } })).deletedCount;
  }

  /** One record at a time, replaced whole: FerretDB 1.24 has no array filters. */
  async replaceAuditCustomer(customerId: string, tombstone: string): Promise<number> {
    const named = await this.audit.find({ customerIds: customerId }).toArray();
    for (const { _id, queryHash: _hash, ...record } of named) {
      const customerIds = record.customerIds.map((c) => (c === customerId ? tombstone : c));
      await this.audit.replaceOne({ _id }, { ...record, customerIds });
    }
    return named.length;
  }

  /**
   * `compact` of every collection that holds personal data. MongoDB (WiredTiger) rewrites a
   * collection to release the space of deleted documents; until then, and in its journal and
   * snapshots, their bytes may linger. FerretDB 1.x on SQLite answers `compact` with `force: true` by
   * `VACUUM` of the database's SQLite file (once for all collections); its WAL file may keep older
   * pages until SQLite overwrites them, which nothing on the wire protocol can force.
   */
  async scrub(): Promise<ScrubResult> {
    const details: ScrubResult["details"] = {};
    let ok = true;
    const ferret = this.mode.scan;
    const names = ferret ? ["customers"] : PERSONAL_COLLECTIONS;
    for (const name of names) {
      try {
        const answer = await this.db.command({ compact: name, force: true });
        details[name] =
          typeof answer.bytesFreed === "number" ? `compacted, ${answer.bytesFreed} bytes freed` : "compacted";
      } catch (err) {
        ok = false;
        details[name] = `compact failed: ${(err as Error).message.slice(0, 200)}`;
      }
    }
    return {
      method: ferret
        ? "compact force (FerretDB on SQLite: VACUUM of the database file)"
        : "compact per collection (WiredTiger)",
      ok,
      details,
    };
  }

  async verifyRetention(cutoff: string): Promise<Verification> {
    const found = await this.deliveries.countDocuments({ receivedAt: { $lt: cutoff } });
    return { query: `db.deliveries.countDocuments({receivedAt: {$lt: "${cutoff}"}})`, found };
  }
}

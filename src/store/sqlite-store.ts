import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ScrubResult, Verification } from "../domain/erasure-receipt.ts";
import type { AuditRecord, Customer, Delivery, Job, Policy, Product } from "../domain/model.ts";
import { FileDir } from "./file-dir.ts";
import { keyHash } from "./key-hash.ts";
import { SqliteAuditLog } from "./sqlite-audit-log.ts";
import type { AuditTaskResult } from "./sqlite-audit-upkeep.ts";
import type { CheckpointResult } from "./sqlite-checkpointer.ts";
import { SqliteConnection } from "./sqlite-connection.ts";
import { SqliteCoordination } from "./sqlite-coordination.ts";
import { SqliteCustomers } from "./sqlite-customers.ts";
import { SqliteDeliveries } from "./sqlite-deliveries.ts";
import { SqliteIdentityKeys } from "./sqlite-identity-keys.ts";
import { SqliteKeyFilters } from "./sqlite-key-filters.ts";
import { SqlitePartners } from "./sqlite-partners.ts";
import { SqlitePolicies } from "./sqlite-policies.ts";
import { SqliteProductsJobs } from "./sqlite-products-jobs.ts";
import { SQLITE_MIGRATE_POLICIES, SQLITE_SCHEMA } from "./sqlite-schema.ts";
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

/** Options of the embedded store: a directory holding the database file and the delivered files. */
export interface SqliteStoreOptions {
  dataDir: string;
  /** Hash of identity keys in the lookup table (default keyHash; tests force collisions with it). */
  keyHash?: (key: string) => number;
  /** WAL size from which the checkpoint thread copies frames after every commit (default 256 MiB). */
  walPassFromBytes?: number;
  /** Recent audit customer rows from which they are moved into the customer index (default 200,000). */
  auditMergeFromRows?: number;
  /**
   * A merge due waits for a lull in lookups: a window of `ms` with at most `appends` audit records
   * (default 1,000 ms and 20). It waits at most until 4 times `auditMergeFromRows` more rows have come
   * (1,000,000 rows recent by default).
   */
  auditMergeLull?: { ms: number; appends: number };
}

/**
 * The embedded system of record: one SQLite database (WAL) under DATA_DIR, the audit log in a second
 * one beside it, delivered files as plain files under DATA_DIR/files. The rooms, each in a file of
 * its own: the connection, write queue and paced transactions (sqlite-connection.ts), deliveries
 * (sqlite-deliveries.ts), customers (sqlite-customers.ts) with their identity keys
 * (sqlite-identity-keys.ts) and the key filters of big look-ups (sqlite-key-filters.ts), policies
 * (sqlite-policies.ts), products and jobs (sqlite-products-jobs.ts), the audit log
 * (sqlite-audit-log.ts). This class opens them, migrates earlier layouts on start, and answers the
 * `Store` port through them.
 */
export class SqliteStore implements Store {
  readonly kind = "sqlite" as const;
  private readonly main: SqliteConnection;
  private readonly files: FileDir;
  private readonly identityKeys: SqliteIdentityKeys;
  private readonly customers: SqliteCustomers;
  private readonly policies: SqlitePolicies;
  private readonly deliveries: SqliteDeliveries;
  private readonly productsJobs: SqliteProductsJobs;
  private readonly audit: SqliteAuditLog;
  readonly partners: SqlitePartners;
  private readonly coordination: SqliteCoordination;
  readonly leases: LeaseStore;
  readonly counters: CounterStore;
  readonly indexChanges: IndexChangeStore;

  constructor(options: SqliteStoreOptions) {
    const hash = options.keyHash ?? keyHash;
    mkdirSync(options.dataDir, { recursive: true });
    this.main = new SqliteConnection(
      join(options.dataDir, "klantherkenning.db"),
      options.walPassFromBytes ?? 256 * 1024 ** 2,
    );
    this.audit = new SqliteAuditLog(join(options.dataDir, "audit.db"), {
      mergeFromRows: options.auditMergeFromRows ?? 200_000,
      mergeLull: options.auditMergeLull ?? { ms: 1_000, appends: 20 },
    });
    this.files = new FileDir(join(options.dataDir, "files"));
    const filters = new SqliteKeyFilters(this.main, hash);
    this.identityKeys = new SqliteIdentityKeys(this.main, filters, hash);
    this.customers = new SqliteCustomers(this.main, this.identityKeys, filters);
    this.policies = new SqlitePolicies(this.main, filters);
    this.deliveries = new SqliteDeliveries(this.main);
    this.productsJobs = new SqliteProductsJobs(this.main);
    this.partners = new SqlitePartners(this.main);
    this.coordination = new SqliteCoordination(join(options.dataDir, "coordination.db"));
    this.leases = this.coordination.leases;
    this.counters = this.coordination.counters;
    this.indexChanges = this.coordination.indexChanges;
  }

  async init(): Promise<void> {
    this.main.configure();
    if (this.main.has("sqlite_autoindex_policies_1"))
      this.main.tx(() => this.main.db.exec(SQLITE_MIGRATE_POLICIES));
    this.main.db.exec(SQLITE_SCHEMA);
    this.partners.init();
    this.identityKeys.migrate();
    this.audit.init(this.main);
    this.coordination.init();
    await this.files.init();
  }

  async close(): Promise<void> {
    // After the writes already queued: none is left paused half-way in its transaction.
    await this.main.exclusive(async () => {
      await this.main.close();
      await this.audit.close();
      this.coordination.close();
    });
  }

  async ping(): Promise<void> {
    this.main.q("SELECT 1").get();
  }

  /** Checkpoints the WAL now on the checkpoint thread (for tests and tools). */
  checkpoint(): Promise<CheckpointResult> {
    return this.main.checkpoint();
  }

  /** Checkpoints the checkpoint thread has finished so far. */
  get checkpoints(): number {
    return this.main.checkpoints;
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

  insertDelivery(d: Delivery): Promise<void> {
    return this.deliveries.insert(d);
  }
  updateDelivery(id: string, patch: Partial<Omit<Delivery, "id">>): Promise<void> {
    return this.deliveries.update(id, patch);
  }
  async getDelivery(id: string): Promise<Delivery | null> {
    return this.deliveries.get(id);
  }
  async pageDeliveries(query: DeliveryPageQuery): Promise<Delivery[]> {
    return this.deliveries.page(query);
  }
  async findDeliveryBySha256(partner: string, sha256: string): Promise<Delivery | null> {
    return this.deliveries.findBySha256(partner, sha256);
  }
  async listDeliveries(filter: DeliveryFilter): Promise<Delivery[]> {
    return this.deliveries.list(filter);
  }
  deleteDelivery(id: string): Promise<void> {
    return this.deliveries.delete(id);
  }

  async getCustomer(id: string, options?: ReadOptions): Promise<Customer | null> {
    options?.signal?.throwIfAborted();
    return this.customers.get(id);
  }
  getCustomers(ids: readonly string[]): Promise<Customer[]> {
    return this.customers.getMany(ids);
  }
  findCustomersByMatchKeys(keys: readonly string[]): Promise<MatchedCustomers> {
    return this.customers.findByMatchKeys(keys);
  }
  putCustomers(customers: readonly Customer[], stored?: ReadonlyMap<string, Customer>): Promise<void> {
    return this.customers.put(customers, stored);
  }
  deleteCustomers(ids: readonly string[]): Promise<void> {
    return this.customers.delete(ids);
  }
  iterateCustomers(batchSize: number): AsyncIterable<Customer[]> {
    return this.customers.iterate(batchSize);
  }
  async countCustomers(): Promise<number> {
    return this.customers.count();
  }
  customerIdsByDelivery(deliveryId: string): Promise<string[]> {
    return this.customers.idsByDelivery(deliveryId);
  }

  getPolicies(keys: readonly PolicyKey[]): Promise<Policy[]> {
    return this.policies.get(keys);
  }
  putPolicies(policies: readonly Policy[]): Promise<void> {
    return this.policies.put(policies);
  }
  deletePolicies(keys: readonly PolicyKey[]): Promise<void> {
    return this.policies.delete(keys);
  }
  policiesOfCustomers(customerIds: readonly string[], options?: ReadOptions): Promise<Policy[]> {
    return this.policies.ofCustomers(customerIds, options?.signal);
  }
  async findPoliciesByNumber(policyNumber: string): Promise<Policy[]> {
    return this.policies.byNumber(policyNumber);
  }
  policyNumbersOfPartner(partner: string): Promise<string[]> {
    return this.policies.numbersOfPartner(partner);
  }
  policyKeysByDelivery(deliveryId: string): Promise<PolicyKey[]> {
    return this.policies.keysByDelivery(deliveryId);
  }

  putProduct(product: Product): Promise<void> {
    return this.productsJobs.putProduct(product);
  }
  putProductIfVersion(
    product: Product & { version: number },
    expectedVersion: number | null,
  ): Promise<boolean> {
    return this.productsJobs.putProductIfVersion(product, expectedVersion);
  }
  async getProduct(code: string): Promise<Product | null> {
    return this.productsJobs.getProduct(code);
  }
  async listProducts(): Promise<Product[]> {
    return this.productsJobs.listProducts();
  }
  putJob(job: Job): Promise<void> {
    return this.productsJobs.putJob(job);
  }
  async getJob(id: string): Promise<Job | null> {
    return this.productsJobs.getJob(id);
  }
  async recentJobs(type: Job["type"], limit: number): Promise<Job[]> {
    return this.productsJobs.recentJobs(type, limit);
  }

  appendAudit(record: AuditRecord): Promise<void> {
    return this.audit.append(record);
  }
  async queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    return this.audit.query(query);
  }
  deleteAuditBefore(before: string): Promise<number> {
    return this.audit.deleteBefore(before);
  }
  replaceAuditCustomer(customerId: string, tombstone: string): Promise<number> {
    return this.audit.replaceCustomer(customerId, tombstone);
  }
  /** Moves the recent audit customer rows into the customer index now (for tests and tools). */
  mergeAudit(): Promise<AuditTaskResult> {
    return this.audit.merge();
  }

  /**
   * Both databases delete with secure_delete (deleted bytes and freed pages are zeroed), so what is
   * left of deleted rows is older page copies in the WALs: both are checkpointed whole and cut to
   * nothing. Delivered files are unlinked when deleted, and a crashed upload's part file at start.
   */
  async scrub(): Promise<ScrubResult> {
    const main = await this.main.truncateWal();
    const audit = await this.audit.truncateWal();
    return {
      method: "secure_delete=ON; wal_checkpoint(TRUNCATE) of klantherkenning.db and audit.db",
      ok: !main.busy && main.walBytes === 0 && !audit.busy && audit.walBytes === 0,
      details: {
        walBytes: main.walBytes,
        freelistPages: main.freelistPages,
        auditWalBytes: audit.walBytes,
        auditFreelistPages: audit.freelistPages,
      },
    };
  }
  async verifyRetention(cutoff: string): Promise<Verification> {
    return this.deliveries.countBefore(cutoff);
  }
}

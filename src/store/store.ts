import type { ScrubResult, Verification } from "../domain/erasure-receipt.ts";
import type { AuditRecord, Customer, Delivery, Job, Policy, Product } from "../domain/model.ts";
import type { PartnerStore } from "./partner-store.ts";
import type { CounterStore, IndexChangeStore, LeaseStore } from "./store-coordination.ts";

/** Identifies one policy: the partner and its polisnummer. */
export interface PolicyKey {
  partner: string;
  policyNumber: string;
}

/** Customers found by identity keys: key → customerId for the known keys, and those customers as stored. */
export interface MatchedCustomers {
  customerIds: Map<string, string>;
  customers: Customer[];
}

/** A read someone may stop waiting for: an aborted `signal` ends it (rejects with the abort's reason). */
export interface ReadOptions {
  signal?: AbortSignal;
}

/** Filter for listing deliveries (by receivedAt, then id); every condition given must hold. */
export interface DeliveryFilter {
  receivedBefore?: string;
  partner?: string;
  /** Only deliveries in one of these states (e.g. the open ones: `received`, `processing`). */
  status?: readonly Delivery["status"][];
}

/** Filter for audit queries; times are ISO instants, bounds inclusive. */
export interface AuditQuery {
  from?: string;
  to?: string;
  subject?: string;
  customerId?: string;
  limit: number;
}

/**
 * A page of deliveries, newest first: every condition given holds; times are ISO instants, `from`
 * inclusive and `to` exclusive; `before` is the last delivery of the previous page (keyset paging).
 */
export interface DeliveryPageQuery {
  partner?: string;
  status?: readonly Delivery["status"][];
  from?: string;
  to?: string;
  before?: { receivedAt: string; id: string };
  limit: number;
}

/**
 * The system of record: raw deliveries and their files, resolved customers, policies with history,
 * the product catalogue, jobs and the audit log. Adapters: SQLite (embedded default) and MongoDB.
 * Every write is idempotent by its key, so an interrupted delivery can be run again.
 */
export interface Store {
  readonly kind: "sqlite" | "mongodb";
  /** Creates tables/collections and indexes; safe to call on every start. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;

  /** The partner registry (see PartnerStore). */
  readonly partners: PartnerStore;

  /** Stores a delivered file's bytes under the delivery id; returns the byte count. */
  putFile(id: string, chunks: AsyncIterable<Uint8Array>): Promise<number>;
  /** Streams a stored file back; rejects with NOT_FOUND when absent. */
  readFile(id: string): AsyncIterable<Uint8Array>;
  deleteFile(id: string): Promise<void>;

  insertDelivery(delivery: Delivery): Promise<void>;
  updateDelivery(id: string, patch: Partial<Omit<Delivery, "id">>): Promise<void>;
  getDelivery(id: string): Promise<Delivery | null>;
  /** Deliveries newest first (receivedAt, then id, both descending), one page (see DeliveryPageQuery). */
  pageDeliveries(query: DeliveryPageQuery): Promise<Delivery[]>;
  /** The earliest non-duplicate, non-failed delivery of this partner with this file hash. */
  findDeliveryBySha256(partner: string, sha256: string): Promise<Delivery | null>;
  listDeliveries(filter: DeliveryFilter): Promise<Delivery[]>;
  deleteDelivery(id: string): Promise<void>;

  getCustomer(id: string, options?: ReadOptions): Promise<Customer | null>;
  getCustomers(ids: readonly string[]): Promise<Customer[]>;
  /**
   * Looks up identity keys (a key listed twice is looked up once): answers key → customerId for the
   * known ones, and the customers they resolve to, as stored (a delivery batch needs both; the embedded
   * store checks a key against the customer's own document, so it reads it only once).
   */
  findCustomersByMatchKeys(keys: readonly string[]): Promise<MatchedCustomers>;
  /**
   * Upserts customers by customerId and keeps the match-key lookup in step: a key a customer lists
   * and did not list before resolves to it; a key it listed before and no customer of this call lists
   * any more is gone. A key it listed before and lists still may be left as the lookup has it (the
   * embedded store does not write it again, so a key another customer took over stays theirs).
   * `stored`: the stored versions of (some of) these customers as the caller read them in the same
   * unit of work (a delivery batch), so the store need not read them again; an id absent is read.
   */
  putCustomers(customers: readonly Customer[], stored?: ReadonlyMap<string, Customer>): Promise<void>;
  deleteCustomers(ids: readonly string[]): Promise<void>;
  /** Walks all customers in batches, ordered by customerId. */
  iterateCustomers(batchSize: number): AsyncIterable<Customer[]>;
  countCustomers(): Promise<number>;
  /** Ids of customers whose lineage names this delivery, by customerId (memory bounded by the ids). */
  customerIdsByDelivery(deliveryId: string): Promise<string[]>;

  getPolicies(keys: readonly PolicyKey[]): Promise<Policy[]>;
  /** Upserts policies by (partner, policyNumber) — a unique key. */
  putPolicies(policies: readonly Policy[]): Promise<void>;
  deletePolicies(keys: readonly PolicyKey[]): Promise<void>;
  policiesOfCustomers(customerIds: readonly string[], options?: ReadOptions): Promise<Policy[]>;
  /** Policies with this polisnummer, of any partner. */
  findPoliciesByNumber(policyNumber: string): Promise<Policy[]>;
  /** All policy numbers a partner has in the store (for ending what a full delivery lacks). */
  policyNumbersOfPartner(partner: string): Promise<string[]>;
  /** Keys of policies whose lineage names this delivery, in no promised order. */
  policyKeysByDelivery(deliveryId: string): Promise<PolicyKey[]>;

  putProduct(product: Product): Promise<void>;
  /**
   * Writes `product` only if the stored product of its code is at `expectedVersion` (`null`: there is
   * none; a stored product without a version counts as 1), in one step no other write can come
   * between; answers whether it wrote. Two writers that read the same version cannot both win.
   */
  putProductIfVersion(
    product: Product & { version: number },
    expectedVersion: number | null,
  ): Promise<boolean>;
  getProduct(code: string): Promise<Product | null>;
  listProducts(): Promise<Product[]>;

  putJob(job: Job): Promise<void>;
  getJob(id: string): Promise<Job | null>;
  /** The newest jobs of a type, by createdAt, newest first. */
  recentJobs(type: Job["type"], limit: number): Promise<Job[]>;

  /** Appends one audit record; rejects when it could not be written (callers fail closed). */
  appendAudit(record: AuditRecord): Promise<void>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** Deletes audit records older than `before`; returns how many. */
  deleteAuditBefore(before: string): Promise<number>;
  /**
   * Replaces an erased customer's id by `tombstone` in every audit record that named them (and drops
   * those records' query hash); answers how many records.
   */
  replaceAuditCustomer(customerId: string, tombstone: string): Promise<number>;

  /**
   * Makes what was deleted so far unrecoverable from the store's own files as far as its engine
   * allows (docs/operations.md, "Erasure"), and says how and how far.
   */
  scrub(): Promise<ScrubResult>;
  /** Counts the deliveries received before `cutoff` (retention's check: 0 after a purge), with the query. */
  verifyRetention(cutoff: string): Promise<Verification>;

  /** Leases: which of several instances on this store does work that must run once (store-coordination.ts). */
  readonly leases: LeaseStore;
  /** Shared counters: rate limits and the verification lockout across instances. */
  readonly counters: CounterStore;
  /** Customers changed while a full reindex runs, for the rebuilding instance to index again. */
  readonly indexChanges: IndexChangeStore;
}

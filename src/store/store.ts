import type { AuditRecord, Customer, Delivery, Job, Policy, Product } from "../domain/model.ts";
import type { PartnerStore } from "./partner-store.ts";

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
  listDeliveries(filter: { receivedBefore?: string; partner?: string }): Promise<Delivery[]>;
  deleteDelivery(id: string): Promise<void>;

  getCustomer(id: string): Promise<Customer | null>;
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
  policiesOfCustomers(customerIds: readonly string[]): Promise<Policy[]>;
  /** Policies with this polisnummer, of any partner. */
  findPoliciesByNumber(policyNumber: string): Promise<Policy[]>;
  /** All policy numbers a partner has in the store (for ending what a full delivery lacks). */
  policyNumbersOfPartner(partner: string): Promise<string[]>;
  /** Keys of policies whose lineage names this delivery, in no promised order. */
  policyKeysByDelivery(deliveryId: string): Promise<PolicyKey[]>;

  putProduct(product: Product): Promise<void>;
  getProduct(code: string): Promise<Product | null>;
  listProducts(): Promise<Product[]>;

  putJob(job: Job): Promise<void>;
  getJob(id: string): Promise<Job | null>;

  /** Appends one audit record; rejects when it could not be written (callers fail closed). */
  appendAudit(record: AuditRecord): Promise<void>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** Deletes audit records older than `before`; returns how many. */
  deleteAuditBefore(before: string): Promise<number>;
}

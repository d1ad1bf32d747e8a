import type { ScrubResult } from "../domain/erasure-receipt.ts";
import type { CancelSignal, CustomerView, PolicySummary } from "./customer-search.ts";

/**
 * What the search engines index per customer: matching keys computed in TypeScript at index time
 * (folded, phonetic, normalised), plus the display payload returned with results. Built from the
 * store by `src/mappings/customer-doc.ts`; the same document goes to every engine.
 */
export interface CustomerDoc {
  customerId: string;
  kind: "P" | "Z";
  /** Folded surname without tussenvoegsel (`berg`); double surnames whole (`jansen-de vries`). */
  surname?: string;
  /** Folded surname parts, tussenvoegsels dropped (`jansen`, `vries`). */
  surnameParts: string[];
  /** Folded tussenvoegsel (`van der`). */
  tussenvoegsel?: string;
  /** Folded first names (`jan`, `pieter`). */
  firstNames: string[];
  /** Initials as letters (`jp`). */
  initials?: string;
  /** Folded company name words. */
  companyWords: string[];
  /** Dutch phonetic keys of surname parts, first names and company words. */
  phonetic: string[];
  birthDate?: string;
  /** `1234 AB` (NL) or folded free text (abroad). */
  postcode?: string;
  postcodeArea?: string;
  /** House number with addition, `12A`. */
  houseNumber?: string;
  /** House number without addition, `12`. */
  houseNumberBase?: string;
  /** Folded street words. */
  street: string[];
  city?: string;
  /** Every phone number of every source (E.164 where it could be normalised). */
  phones: string[];
  /**
   * Lower case; every address when the customer's sources state several (an engine's keyword field
   * holds one value or a list alike, so most documents keep the single string).
   */
  email?: string | string[];
  /** Policy numbers, upper case without separators. */
  policyNumbers: string[];
  partners: string[];
  /** What a result shows; engines store it and hand it back untouched. */
  view: CustomerView;
  policies: PolicySummary[];
}

/** Fields of a CustomerDoc that retrieval can address. */
export type DocField =
  | "surname"
  | "surnameParts"
  | "tussenvoegsel"
  | "firstNames"
  | "initials"
  | "companyWords"
  | "phonetic"
  | "birthDate"
  | "postcode"
  | "postcodeArea"
  | "houseNumber"
  | "houseNumberBase"
  | "street"
  | "city"
  | "phones"
  | "email"
  | "policyNumbers";

/** One retrieval clause: any of `values` in `field`, exactly, as a prefix, or within edit distance. */
export interface RetrievalClause {
  field: DocField;
  values: string[];
  match: "exact" | "prefix" | "fuzzy";
}

/**
 * A candidate query: documents matching at least one `should` clause (and every `must` clause),
 * at most `size` of them. Engines cast the net; the shared scorer ranks — engine scores are not used.
 */
export interface RetrievalQuery {
  should: RetrievalClause[];
  must?: RetrievalClause[];
  size: number;
}

/** A distinct value of a field and how many documents hold it. */
export interface ValueCount {
  value: string;
  count: number;
}

/** Fields whose distinct values the search service reads (the place names it recognises). */
export type ValueField = "city";

/** Outcome of a bulk write: ids written, and ids rejected with the engine's reason. */
export interface BulkResult {
  written: number;
  rejected: Array<{ customerId: string; reason: string }>;
}

/**
 * The search projection's port. Adapters: embedded (default, in-process, persisted under DATA_DIR),
 * Elasticsearch and OpenSearch (same mappings from src/mappings).
 */
export interface SearchEngine {
  readonly name: "embedded" | "elasticsearch" | "opensearch";
  /** Creates the live index (alias) when absent; safe on every start. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Resolves when the engine answers; rejects otherwise. */
  ping(): Promise<void>;
  upsert(docs: readonly CustomerDoc[]): Promise<BulkResult>;
  remove(customerIds: readonly string[]): Promise<void>;
  get(customerId: string): Promise<CustomerDoc | null>;
  count(): Promise<number>;
  /**
   * The `size` most common values of `field` with how many documents hold each, most common first
   * (ties in no particular order).
   */
  topValues(field: ValueField, size: number): Promise<ValueCount[]>;
  /** Candidates for the scorer, in no particular order; an aborted `signal` stops the request. */
  retrieve(query: RetrievalQuery, options?: { signal?: CancelSignal }): Promise<CustomerDoc[]>;
  /** Starts a full rebuild into a fresh index; searches keep using the live one until `commit`. */
  beginRebuild(): Promise<IndexRebuild>;
  /** Makes everything written so far visible to search (Elasticsearch `refresh`). */
  refresh(): Promise<void>;
  /**
   * Makes documents removed or replaced so far unrecoverable from the engine's files (embedded: a
   * truncating WAL checkpoint; Elasticsearch/OpenSearch: deleted documents merged away), and says how far.
   */
  expungeDeleted(): Promise<ScrubResult>;
}

/** A full rebuild in progress: write into it, then swap it in atomically, or abandon it. */
export interface IndexRebuild {
  upsert(docs: readonly CustomerDoc[]): Promise<BulkResult>;
  /** Atomically points the live alias at the new index and drops the old one. */
  commit(): Promise<void>;
  abort(): Promise<void>;
}

import { z } from "zod";

/**
 * What a store or search engine did to make deleted data unrecoverable from its files (SQLite:
 * secure_delete and a truncating WAL checkpoint; Elasticsearch/OpenSearch: deleted documents merged
 * away; MongoDB: `compact`). `ok` false says the method could not do all it promises; `details` say why.
 */
export const ScrubResult = z.object({
  method: z.string(),
  ok: z.boolean(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type ScrubResult = z.infer<typeof ScrubResult>;

/** A query that checks that nothing is left, as the store or engine ran it, and what it found. */
export const Verification = z.object({ query: z.string(), found: z.number().int() });
export type Verification = z.infer<typeof Verification>;

/** Counts, scrub and verification of one store or one search index. */
export const ReceiptPart = z.object({
  /** `sqlite`, `mongodb`, `embedded`, `opensearch`, `elasticsearch`. */
  name: z.string(),
  counts: z.record(z.string(), z.number().int()),
  scrub: ScrubResult.optional(),
  verification: z.array(Verification),
});
export type ReceiptPart = z.infer<typeof ReceiptPart>;

/**
 * The erasure receipt of a purge or of a person's erasure: what was deleted per store and per index,
 * how it was made unrecoverable, and the queries that then found nothing (`found` 0). A dry run
 * deletes nothing: its counts are what a purge now would delete, its verification what is there now.
 */
export const ErasureReceipt = z.object({
  kind: z.enum(["purge", "erasure"]),
  dryRun: z.boolean(),
  /** Purge: deliveries received before this instant were deleted. */
  cutoff: z.string().optional(),
  /** Erasure: what stands for the erased customer's id in the audit log from now on. */
  tombstone: z.string().optional(),
  stores: z.array(ReceiptPart),
  indexes: z.array(ReceiptPart),
  /** receivedAt of the oldest delivery still held afterwards; null when none is held. */
  oldestDeliveryHeld: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
});
export type ErasureReceipt = z.infer<typeof ErasureReceipt>;

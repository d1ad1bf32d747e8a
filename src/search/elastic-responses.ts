import { z } from "zod";
import type { CustomerDoc } from "./search-engine.ts";

// Engines hand back what we stored; the envelope is checked, the document trusted as our own shape.
const Source = z.looseObject({ customerId: z.string() }).transform((d) => d as unknown as CustomerDoc);

/** Answer of `_search`. */
export const SearchAnswer = z.object({
  hits: z.object({ hits: z.array(z.object({ _id: z.string(), _source: Source })) }),
});

/** Answer of `GET {index}/_doc/{id}`. */
export const GetAnswer = z.object({ found: z.boolean(), _source: Source.optional() });

/** Answer of a `_search` with one terms aggregation named `values`. */
export const TermsAnswer = z.object({
  aggregations: z.object({
    values: z.object({ buckets: z.array(z.object({ key: z.string(), doc_count: z.number().int() })) }),
  }),
});

/** Answer of `_count`. */
export const CountAnswer = z.object({ count: z.number().int() });

const ItemError = z.looseObject({ type: z.string(), reason: z.string().nullish() });
const Item = z.object({ _id: z.string().nullish(), status: z.number().int(), error: ItemError.optional() });

/** Answer of `_bulk`: one item per action, each with its own status and error. */
export const BulkAnswer = z.object({
  errors: z.boolean(),
  items: z.array(z.record(z.string(), Item).transform((r) => Object.values(r)[0]!)),
});

/** Answer of `GET _cluster/health`; ping takes any status as an answer (the cluster may hold other indexes). */
export const HealthAnswer = z.object({ status: z.enum(["green", "yellow", "red"]) });

/** Answer of `GET _alias/{name}`: concrete index → its aliases. */
export const AliasAnswer = z.record(z.string(), z.object({ aliases: z.record(z.string(), z.unknown()) }));

/** An engine error body, for messages. */
export const ErrorAnswer = z.looseObject({
  error: z
    .union([z.string(), z.looseObject({ type: z.string().optional(), reason: z.string().nullish() })])
    .optional(),
});

const ShardStats = z.looseObject({
  routing: z.looseObject({ primary: z.boolean() }),
  docs: z.looseObject({ count: z.number().int(), deleted: z.number().int() }).optional(),
  seq_no: z.looseObject({ max_seq_no: z.number().int() }).optional(),
  retention_leases: z
    .looseObject({ leases: z.array(z.looseObject({ id: z.string(), retaining_seq_no: z.number().int() })) })
    .optional(),
});

/** Answer of `GET {index}/_stats?level=shards`: per index, per shard number, each copy's stats. */
export const ShardStatsAnswer = z.object({
  indices: z.record(
    z.string(),
    z.looseObject({ shards: z.record(z.string(), z.array(ShardStats)).optional() }),
  ),
});
export type ShardStatsAnswer = z.infer<typeof ShardStatsAnswer>;

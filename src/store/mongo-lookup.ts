import type { Collection, Db, Document } from "mongodb";

/**
 * How a server answers look-ups by `_id`. MongoDB serves `{_id: {$in: [...]}}` from its index in one
 * round trip. FerretDB 1.24 on SQLite uses no index for reading at all: only a filter that is exactly
 * `{_id: <string>}` reaches SQLite (backends/sqlite/collection.go), as `sjson->'$._id' = ?`, which
 * does not match its index on `sjson->"_id"`, so SQLite scans (explain: "SCAN"); any other filter,
 * `$in` included, is matched in Go against every document, comparing each with the whole list
 * (a 10,000-key `$in` on 20,000 customers took 19 s). There, a handful of ids go one equality query
 * each (a scan in SQLite's C code), and more than that one plain scan, filtered here.
 */
export interface LookupMode {
  /** True on FerretDB: scans instead of `$in`. */
  readonly scan: boolean;
  /** On FerretDB: the database, for swapping many documents at once (mongo-swap.ts). */
  readonly db?: Db;
}

/** Asks the server what it is: FerretDB answers buildInfo with a `ferretdbVersion`. */
export async function detectLookupMode(db: Db): Promise<LookupMode> {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === "string" ? { scan: true, db } : { scan: false };
}

// Equality queries in flight on FerretDB; its SQLite pool has 100 connections per database.
const PARALLEL = 8;
// Above this many ids one scan of the collection (decoded once) beats an SQLite scan per id: measured
// about 1.7 us per document for an equality scan and 10-30 us per document sent back.
const PER_ID_MAX = 16;
// Documents per reply while scanning: fewer getMore round trips.
const SCAN_BATCH = 10_000;
// A `$in` list per query on MongoDB: well under the 16 MiB command limit for any key we store.
const IN_CHUNK = 10_000;

/** Runs `work` over `items` with at most `limit` calls in flight. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Documents whose `_id` is one of `ids` (each at most once), in no particular order. */
export async function findByIds<T extends Document>(
  col: Collection<T>,
  ids: readonly string[],
  mode: LookupMode,
  projection?: Document,
): Promise<T[]> {
  const unique = [...new Set(ids)];
  const found: T[] = [];
  if (unique.length === 0) return found;
  const options = projection ? { projection } : {};
  if (!mode.scan) {
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const filter = { _id: { $in: unique.slice(i, i + IN_CHUNK) } } as never;
      found.push(...((await col.find(filter, options).toArray()) as T[]));
    }
    return found;
  }
  if (unique.length > PER_ID_MAX) {
    const wanted = new Set(unique);
    for await (const doc of col.find({}, { ...options, batchSize: SCAN_BATCH }))
      if (wanted.has(doc._id as unknown as string)) found.push(doc as T);
    return found;
  }
  await eachLimited(unique, PARALLEL, async (id) => {
    const doc = await col.findOne({ _id: id } as never, options);
    if (doc) found.push(doc as T);
  });
  return found;
}

/** Deletes the documents with these `_id`s: `$in` on MongoDB, one pushed-down equality each on FerretDB. */
export async function deleteByIds<T extends Document>(
  col: Collection<T>,
  ids: readonly string[],
  mode: LookupMode,
): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  if (!mode.scan) {
    for (let i = 0; i < unique.length; i += IN_CHUNK)
      await col.deleteMany({ _id: { $in: unique.slice(i, i + IN_CHUNK) } } as never);
    return;
  }
  // One `delete` command with one pushed-down statement per id; FerretDB closes each statement's
  // read before the next, so a long list is safe (unlike `update`, see mongo-upsert.ts).
  for (let i = 0; i < unique.length; i += 1000)
    await col.bulkWrite(
      unique.slice(i, i + 1000).map((id) => ({ deleteOne: { filter: { _id: id } as never } })),
      { ordered: false },
    );
}

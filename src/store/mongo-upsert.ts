import { type Collection, type Document, MongoBulkWriteError } from "mongodb";
import { eachLimited, findByIds, type LookupMode } from "./mongo-lookup.ts";

// FerretDB 1.24 keeps each statement's read open until the whole `update` command ends (a deferred
// close inside its loop), one SQLite connection each out of a pool of 100: an update command with
// 200 statements never returned, and 50 to a command took 8.5 ms per replacement against 0.8 ms
// for one statement per command. MongoDB takes them in bulk.
const BULK_CHUNK = 1000;
const FERRETDB_PARALLEL = 4;

/** Replaces documents by `_id`, inserting the missing ones (`replaceOne` with upsert). */
export async function replaceById<T extends { _id: string }>(
  col: Collection<T>,
  docs: readonly T[],
  mode: LookupMode,
): Promise<void> {
  const op = (d: T) => ({
    replaceOne: { filter: { _id: d._id } as never, replacement: d as never, upsert: true },
  });
  if (mode.scan) {
    await eachLimited(docs, FERRETDB_PARALLEL, async (d) => {
      await col.bulkWrite([op(d)]);
    });
    return;
  }
  for (let i = 0; i < docs.length; i += BULK_CHUNK)
    await col.bulkWrite(docs.slice(i, i + BULK_CHUNK).map(op), { ordered: false });
}

/**
 * Inserts documents in bulk and replaces the ones whose `_id` already exists (duplicate key). For
 * documents expected to be new: one insert instead of a look-up per document.
 */
export async function insertOrReplace<T extends { _id: string }>(
  col: Collection<T>,
  docs: readonly T[],
  mode: LookupMode,
): Promise<void> {
  if (docs.length === 0) return;
  let replace: T[] = [];
  try {
    await col.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    if (!(err instanceof MongoBulkWriteError)) throw err;
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    if (errors.some((e) => e.code !== 11000)) throw err;
    replace = errors.map((e) => docs[e.index]!);
  }
  await replaceById(col, replace, mode);
}

/**
 * Writes documents by `_id`: inserts the new ones, replaces the existing ones. Equivalent to
 * `replaceOne({_id}, doc, {upsert: true})` per document, but FerretDB 1.24 (SQLite backend) takes
 * milliseconds per upsert that inserts, and inserts in bulk quickly. A document inserted by someone
 * else between our look-up and our insert (duplicate key) is replaced instead. Answers the stored
 * documents as they were before (only `_id` and the fields of `before`).
 */
export async function upsertById<T extends { _id: string }>(
  col: Collection<T>,
  docs: readonly T[],
  mode: LookupMode,
  before: Document = { _id: 1 },
): Promise<T[]> {
  if (docs.length === 0) return [];
  const existing = await findByIds(
    col,
    docs.map((d) => d._id),
    mode,
    before,
  );
  const known = new Set(existing.map((d) => d._id));
  await insertOrReplace(
    col,
    docs.filter((d) => !known.has(d._id)),
    mode,
  );
  await replaceById(
    col,
    docs.filter((d) => known.has(d._id)),
    mode,
  );
  return existing;
}

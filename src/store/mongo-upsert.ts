import type { Collection } from "mongodb";
import type { LookupMode } from "./mongo-lookup.ts";
import { insertReportingDuplicates, swapById } from "./mongo-swap.ts";

// FerretDB 1.24 keeps each statement's read open until the whole `update` command ends (a deferred
// close inside its loop), one SQLite connection each out of a pool of 100: an update command with
// 200 statements never returned, and 50 to a command took 8.5 ms per replacement against 0.8 ms
// for one statement per command. They go one at a time: two at once failed with SQLITE_BUSY
// ("database is locked"; a read transaction cannot become a writer while another writes).
// MongoDB takes them in bulk.
const BULK_CHUNK = 1000;
// Above this many, one swap (a scan decoding every document) beats a scan in SQLite per replacement.
const SWAP_MIN = 20;

/** Replaces documents by `_id`, inserting the missing ones (`replaceOne` with upsert). */
async function replaceById<T extends { _id: string }>(
  col: Collection<T>,
  docs: readonly T[],
  mode: LookupMode,
): Promise<void> {
  const op = (d: T) => ({
    replaceOne: { filter: { _id: d._id } as never, replacement: d as never, upsert: true },
  });
  if (mode.scan && mode.db && docs.length > SWAP_MIN) return swapById(mode.db, col, docs);
  if (mode.scan) {
    for (const d of docs) await col.bulkWrite([op(d)]);
    return;
  }
  for (let i = 0; i < docs.length; i += BULK_CHUNK)
    await col.bulkWrite(docs.slice(i, i + BULK_CHUNK).map(op), { ordered: false });
}

/**
 * Writes documents by `_id` (an upsert each): inserts in bulk and replaces the ones whose `_id`
 * already exists (duplicate key). No look-up first, which would scan on FerretDB.
 */
export async function insertOrReplace<T extends { _id: string }>(
  col: Collection<T>,
  docs: readonly T[],
  mode: LookupMode,
): Promise<void> {
  if (docs.length === 0) return;
  // MongoDB upserts in bulk from its `_id` index; FerretDB inserts in bulk far faster than it upserts.
  if (!mode.scan) return replaceById(col, docs, mode);
  const replace = await insertReportingDuplicates(col, docs);
  await replaceById(col, replace, mode);
}

import { randomUUID } from "node:crypto";
import { type Collection, type Db, MongoBulkWriteError } from "mongodb";

/** A document on its way into a collection, kept until it is there (`_id` = collection + U+001F + id). */
interface PendingDoc {
  _id: string;
  coll: string;
  swap: string;
  doc: { _id: string };
}

const JOURNAL = "pending_writes";

/**
 * Replaces many documents at once on FerretDB 1.24, where each `replaceOne` costs a scan of the
 * collection in SQLite and a write of its own (350 ms per customer at 20,000 customers): one
 * `deleteMany` by `$in` (one scan) and one `insertMany` instead. There are no transactions, so the
 * new documents go to a journal collection first; `recoverSwaps` (run by init) finishes a swap cut
 * short between delete and insert, and re-running the batch does too. A reader may miss a document
 * while it is being swapped: FerretDB stands in for MongoDB in tests, which never swaps.
 */
export async function swapById<T extends { _id: string }>(
  db: Db,
  col: Collection<T>,
  docs: readonly T[],
): Promise<void> {
  if (docs.length === 0) return;
  const journal = db.collection<PendingDoc>(JOURNAL);
  const swap = randomUUID();
  const coll = col.collectionName;
  await insertOrOverwrite(
    journal,
    docs.map((doc) => ({ _id: `${coll}\u001f${doc._id}`, coll, swap, doc })),
  );
  await apply(db, coll, docs);
  // By this swap's token: one comparison per journal entry, and a concurrent swap keeps its own.
  await journal.deleteMany({ swap });
}

/** Finishes swaps that a crash cut short: puts every journalled document in place. */
export async function recoverSwaps(db: Db): Promise<void> {
  const journal = db.collection<PendingDoc>(JOURNAL);
  const byColl = new Map<string, { _id: string }[]>();
  for await (const e of journal.find({})) {
    const list = byColl.get(e.coll) ?? [];
    list.push(e.doc);
    byColl.set(e.coll, list);
  }
  for (const [coll, docs] of byColl) {
    await apply(db, coll, docs);
    await journal.deleteMany({ coll });
  }
}

async function apply(db: Db, coll: string, docs: readonly { _id: string }[]): Promise<void> {
  const col = db.collection<{ _id: string }>(coll);
  await col.deleteMany({ _id: { $in: docs.map((d) => d._id) } });
  await insertOrOverwrite(col, docs);
}

/**
 * Inserts what it can in one unordered batch; answers the documents whose `_id` already existed
 * (duplicate key), rethrowing any other write error.
 */
export async function insertReportingDuplicates<T extends { _id: string }>(
  col: Collection<T>,
  docs: readonly T[],
): Promise<T[]> {
  try {
    await col.insertMany(docs as never[], { ordered: false });
    return [];
  } catch (err) {
    if (!(err instanceof MongoBulkWriteError)) throw err;
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    if (errors.some((e) => e.code !== 11000)) throw err;
    return errors.map((e) => docs[e.index]!);
  }
}

// A duplicate here means a concurrent writer got in between: its document is overwritten one by one.
async function insertOrOverwrite<T extends { _id: string }>(
  col: Collection<T>,
  docs: readonly T[],
): Promise<void> {
  for (const d of await insertReportingDuplicates(col, docs))
    await col.replaceOne({ _id: d._id } as never, d as never, { upsert: true });
}

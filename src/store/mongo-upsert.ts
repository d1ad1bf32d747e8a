import { type Collection, MongoBulkWriteError } from "mongodb";

/**
 * Writes documents by `_id`: inserts the new ones, replaces the existing ones. Equivalent to
 * `replaceOne({_id}, doc, {upsert: true})` per document, but FerretDB 1.24 (SQLite backend) takes
 * milliseconds per upsert that inserts, and inserts in bulk quickly. A document inserted by someone
 * else between our look-up and our insert (duplicate key) is replaced instead.
 */
export async function upsertById<T extends { _id: string }>(
  col: Collection<T>,
  docs: readonly T[],
): Promise<void> {
  if (docs.length === 0) return;
  const ids = docs.map((d) => d._id);
  const existing = new Set(
    (await col.find({ _id: { $in: ids } } as never, { projection: { _id: 1 } }).toArray()).map(
      (d) => d._id as string,
    ),
  );
  const fresh = docs.filter((d) => !existing.has(d._id));
  let replace = docs.filter((d) => existing.has(d._id));
  if (fresh.length > 0) {
    try {
      await col.insertMany(fresh as never[], { ordered: false });
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError)) throw err;
      const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      if (errors.some((e) => e.code !== 11000)) throw err;
      replace = [...replace, ...errors.map((e) => fresh[e.index]!)];
    }
  }
  if (replace.length > 0)
    await col.bulkWrite(
      replace.map((d) => ({
        replaceOne: { filter: { _id: d._id } as never, replacement: d as never, upsert: true },
      })),
      { ordered: false },
    );
}

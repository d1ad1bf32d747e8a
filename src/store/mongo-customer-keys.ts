import { type Db, MongoBulkWriteError } from "mongodb";
import { deleteByIds, findByIds, type LookupMode } from "./mongo-lookup.ts";
import { insertOrReplace } from "./mongo-upsert.ts";

/** One identity key and the customer it resolves to; `_id` is the key. */
interface KeyDoc {
  _id: string;
  customerId: string;
}

/** What the key bookkeeping needs of a customer: its id and identity keys. */
export interface KeyedCustomer {
  customerId: string;
  matchKeys: readonly string[];
}

/** A stored customer document as it was before a write, as far as its keys go. */
export interface StoredKeys {
  _id: string;
  matchKeys?: readonly string[];
}

const LAYOUT_ID = "layout";

/**
 * The identity-key lookup (collection `customer_keys`, `_id` = key → customerId), like the SQLite
 * store's customer_keys table. Keyed by `_id` because that is the one index FerretDB 1.24 queries
 * by; the earlier layout's multikey index on customers.matchKeys scanned there.
 */
export class MongoCustomerKeys {
  private readonly db: Db;
  private readonly mode: LookupMode;
  constructor(db: Db, mode: LookupMode) {
    this.db = db;
    this.mode = mode;
  }

  private get keys() {
    return this.db.collection<KeyDoc>("customer_keys");
  }

  /** Key → customerId for the keys that are known. */
  async find(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const d of await findByIds(this.keys, keys, this.mode)) found.set(d._id, d.customerId);
    return found;
  }

  /**
   * Brings the lookup in step with customers about to be written, given their stored documents
   * (`before`). Call it before writing the documents: a key is written when the stored document
   * lacks it, so a run cut short between keys and documents writes the keys again when re-run.
   */
  async put(customers: readonly KeyedCustomer[], before: readonly StoredKeys[]): Promise<void> {
    const owner = new Map<string, string>();
    for (const c of customers) for (const k of c.matchKeys) owner.set(k, c.customerId);
    const old = new Map(before.map((b) => [b._id, new Set(b.matchKeys ?? [])]));
    // As in SQLite: a key these customers had and no longer have goes, unless someone else holds it.
    const gone = [...new Set(before.flatMap((b) => b.matchKeys ?? []))].filter((k) => !owner.has(k));
    await this.removeHeldBy(gone, new Set(customers.map((c) => c.customerId)));
    const fresh: KeyDoc[] = [];
    for (const [key, customerId] of owner)
      if (!old.get(customerId)?.has(key)) fresh.push({ _id: key, customerId });
    await insertOrReplace(this.keys, fresh, this.mode);
  }

  /** Deletes those of `keys` that resolve to one of `customerIds`. */
  async removeHeldBy(keys: readonly string[], customerIds: ReadonlySet<string>): Promise<void> {
    if (keys.length === 0) return;
    const held = [...(await this.find(keys))].filter(([, id]) => customerIds.has(id)).map(([k]) => k);
    await deleteByIds(this.keys, held, this.mode);
  }

  /**
   * Builds the lookup from customers.matchKeys once, for a database of the earlier layout (no
   * `customer_keys`), then drops the multikey index it replaces. A key several customers list
   * resolves to the lowest customerId, as the earlier look-up answered. Safe to run again.
   */
  async migrate(): Promise<void> {
    const meta = this.db.collection<{ _id: string; customerKeys?: boolean }>("meta");
    if ((await meta.findOne({ _id: LAYOUT_ID }))?.customerKeys) return;
    const customers = this.db.collection<{ _id: string; matchKeys?: string[] }>("customers");
    let batch: KeyDoc[] = [];
    let seen = new Set<string>();
    const cursor = customers.find({}, { projection: { matchKeys: 1 } }).sort({ _id: 1 });
    for await (const c of cursor) {
      for (const k of c.matchKeys ?? [])
        if (!seen.has(k)) {
          seen.add(k);
          batch.push({ _id: k, customerId: c._id });
        }
      if (batch.length >= 5000) {
        await this.insertKeepingExisting(batch);
        batch = [];
        seen = new Set(); // across batches the duplicate-key error keeps the first
      }
    }
    await this.insertKeepingExisting(batch);
    await customers.dropIndex("matchKeys_1").catch(() => undefined); // absent on a new database
    await meta.replaceOne({ _id: LAYOUT_ID }, { customerKeys: true }, { upsert: true });
  }

  // A key already there was written by an interrupted run of this migration or by a newer write.
  private async insertKeepingExisting(docs: KeyDoc[]): Promise<void> {
    if (docs.length === 0) return;
    try {
      await this.keys.insertMany(docs, { ordered: false });
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError)) throw err;
      const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
      if (errors.some((e) => e.code !== 11000)) throw err;
    }
  }
}

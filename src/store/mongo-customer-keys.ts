import type { Db } from "mongodb";
import { deleteByIds, findByIds, type LookupMode } from "./mongo-lookup.ts";
import { insertReportingDuplicates } from "./mongo-swap.ts";
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
    for (const d of await findByIds(this.keys, [...new Set(keys)], this.mode)) found.set(d._id, d.customerId);
    return found;
  }

  /** Creates the index by customerId (MongoDB only: FerretDB 1.24 would write it and never read it). */
  async init(): Promise<void> {
    if (!this.mode.scan) await this.keys.createIndex({ customerId: 1 });
  }

  /** The keys that resolve to each of these customers. */
  private async heldBy(customerIds: readonly string[]): Promise<Map<string, string[]>> {
    const ids = new Set(customerIds);
    const held = new Map<string, string[]>();
    if (ids.size === 0) return held;
    const add = (d: KeyDoc) => {
      if (!ids.has(d.customerId)) return;
      const keys = held.get(d.customerId);
      if (keys) keys.push(d._id);
      else held.set(d.customerId, [d._id]);
    };
    if (this.mode.scan) {
      // FerretDB matches any filter in Go after decoding every document: one plain scan is cheapest.
      for await (const d of this.keys.find({}, { batchSize: 10_000 })) add(d);
      return held;
    }
    const list = [...ids];
    for (let i = 0; i < list.length; i += 10_000)
      for (const d of await this.keys.find({ customerId: { $in: list.slice(i, i + 10_000) } }).toArray())
        add(d);
    return held;
  }

  /**
   * Brings the lookup in step with customers about to be written, as the SQLite store does: keys
   * these customers held and no longer list go, keys they list point to them. Call it before
   * writing the documents; running it again gives the same lookup.
   */
  async put(customers: readonly KeyedCustomer[]): Promise<void> {
    const owner = new Map<string, string>();
    for (const c of customers) for (const k of c.matchKeys) owner.set(k, c.customerId);
    const held = await this.heldBy(customers.map((c) => c.customerId));
    const current = new Map<string, string>();
    for (const [id, keys] of held) for (const k of keys) current.set(k, id);
    await deleteByIds(
      this.keys,
      [...current.keys()].filter((k) => !owner.has(k)),
      this.mode,
    );
    const fresh: KeyDoc[] = [];
    for (const [key, customerId] of owner)
      if (current.get(key) !== customerId) fresh.push({ _id: key, customerId });
    // A key another customer holds moves (duplicate key → replaced), as in SQLite.
    await insertOrReplace(this.keys, fresh, this.mode);
  }

  /** Deletes every key that resolves to one of these customers. */
  async remove(customerIds: readonly string[]): Promise<void> {
    const held = await this.heldBy(customerIds);
    await deleteByIds(this.keys, [...held.values()].flat(), this.mode);
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
    if (docs.length > 0) await insertReportingDuplicates(this.keys, docs);
  }
}

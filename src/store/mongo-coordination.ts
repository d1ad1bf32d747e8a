import { type Db, MongoServerError } from "mongodb";
import { deleteByIds, type LookupMode } from "./mongo-lookup.ts";
import { insertReportingDuplicates } from "./mongo-swap.ts";
import type { CounterStore, IndexChangeStore, Lease, LeaseStore } from "./store-coordination.ts";

/** One generation of a lease: `_id` = name + U+001F + generation (PostgreSQL, under FerretDB, stores no NUL), unique, so one insert wins each one. */
interface LeaseDoc {
  _id: string;
  name: string;
  gen: number;
  owner: string;
  expiresAt: number;
  note?: string;
}
/** One writer's share of a counter: `_id` = key + U+001F + writer. */
interface CounterDoc {
  _id: string;
  key: string;
  count: number;
  expiresAt: number;
}

const DUPLICATE_KEY = 11000;
/** The expiry of a released generation (long past): free for the next owner, its note still readable. */
const RELEASED = 0;
const leaseOf = (d: LeaseDoc): Lease => ({
  name: d.name,
  owner: d.owner,
  expiresAt: d.expiresAt,
  ...(d.note !== undefined ? { note: d.note } : {}),
});
const genId = (name: string, gen: number) => `${name}\u001f${String(gen).padStart(12, "0")}`;

/**
 * Leases (`leases`), counters (`counters`) and the index-change journal (`index_changes`, `_id` =
 * customerId) on MongoDB and FerretDB. FerretDB 1.24 applies an update as a read and a write without
 * isolation (two concurrent `$inc`s of one document lost one in the contract test), so nothing here
 * relies on a conditional update being atomic: a lease is a chain of generations and whoever inserts
 * the next generation takes it (a unique `_id`: one insert wins); only the holder updates its own
 * generation; a counter is a share per writer, summed on reading.
 */
export class MongoCoordination {
  private readonly db: Db;
  private readonly mode: () => LookupMode;

  constructor(db: Db, mode: () => LookupMode) {
    this.db = db;
    this.mode = mode;
  }

  private get leaseCol() {
    return this.db.collection<LeaseDoc>("leases");
  }
  private get counterCol() {
    return this.db.collection<CounterDoc>("counters");
  }
  private get changeCol() {
    return this.db.collection<{ _id: string }>("index_changes");
  }

  async init(): Promise<void> {
    // FerretDB 1.24 reads no index (mongo-lookup.ts); these collections stay small there.
    if (this.mode().scan) return;
    await this.leaseCol.createIndex({ name: 1, gen: -1 });
    await this.counterCol.createIndex({ key: 1 });
    await this.counterCol.createIndex({ expiresAt: 1 });
  }

  /** The newest generation of a lease. */
  private async latest(name: string): Promise<LeaseDoc | null> {
    const [doc] = await this.leaseCol.find({ name }).sort({ gen: -1 }).limit(1).toArray();
    return doc ?? null;
  }

  readonly leases: LeaseStore = {
    acquire: async (name, owner, ttlMs, now, note) => {
      const current = await this.latest(name);
      if (current && current.owner === owner) {
        const set = { expiresAt: now + ttlMs, ...(note !== undefined ? { note } : {}) };
        await this.leaseCol.updateOne(
          { _id: current._id },
          note === undefined ? { $set: set, $unset: { note: "" } } : { $set: set },
        );
        const after = await this.latest(name);
        return after?._id === current._id ? leaseOf(after) : null;
      }
      if (current && current.expiresAt > now) return null;
      const doc: LeaseDoc = {
        _id: genId(name, (current?.gen ?? 0) + 1),
        name,
        gen: (current?.gen ?? 0) + 1,
        owner,
        expiresAt: now + ttlMs,
        ...(note !== undefined ? { note } : {}),
      };
      try {
        await this.leaseCol.insertOne(doc);
      } catch (err) {
        if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return null;
        throw err;
      }
      // A contender that read an older generation may have inserted one that had been cleaned away:
      // only the newest generation holds the lease.
      if ((await this.latest(name))?._id !== doc._id) {
        await this.leaseCol.deleteOne({ _id: doc._id });
        return null;
      }
      await this.leaseCol.deleteMany({ name, gen: { $lt: doc.gen } });
      return leaseOf(doc);
    },
    renew: async (name, owner, ttlMs, now) => {
      const current = await this.latest(name);
      if (!current || current.owner !== owner) return false;
      await this.leaseCol.updateOne({ _id: current._id }, { $set: { expiresAt: now + ttlMs } });
      return (await this.latest(name))?._id === current._id;
    },
    release: async (name, owner) => {
      // Expired rather than deleted: the generation chain goes on from here.
      const current = await this.latest(name);
      if (current?.owner === owner)
        await this.leaseCol.updateOne({ _id: current._id }, { $set: { expiresAt: RELEASED } });
    },
    get: async (name) => {
      const doc = await this.latest(name);
      return doc ? leaseOf(doc) : null;
    },
  };

  readonly counters: CounterStore = {
    add: async (increments, writer) => {
      // One update per share: FerretDB 1.24 takes updates one at a time (mongo-upsert.ts), and a
      // writer adds to a few keys a second at most (src/api/shared-rate-limit.ts).
      for (const i of increments)
        await this.counterCol.updateOne(
          { _id: `${i.key}\u001f${writer}` },
          { $set: { key: i.key }, $inc: { count: i.by }, $max: { expiresAt: i.expiresAt } },
          { upsert: true },
        );
      return this.counters.read(increments.map((i) => i.key));
    },
    read: async (keys) => {
      const totals = new Map<string, number>();
      if (keys.length > 0)
        for (const d of await this.counterCol.find({ key: { $in: [...new Set(keys)] } }).toArray())
          totals.set(d.key, (totals.get(d.key) ?? 0) + d.count);
      return keys.map((k) => totals.get(k) ?? 0);
    },
    delete: async (keys) => {
      if (keys.length > 0) await this.counterCol.deleteMany({ key: { $in: [...new Set(keys)] } });
    },
    deleteExpired: async (now) =>
      (await this.counterCol.deleteMany({ expiresAt: { $lte: now } })).deletedCount,
  };

  readonly indexChanges: IndexChangeStore = {
    note: async (customerIds) => {
      const unique = [...new Set(customerIds)];
      for (let i = 0; i < unique.length; i += 10_000)
        await insertReportingDuplicates(
          this.changeCol,
          unique.slice(i, i + 10_000).map((_id) => ({ _id })),
        );
    },
    take: async (limit) => {
      const ids = (await this.changeCol.find({}).sort({ _id: 1 }).limit(limit).toArray()).map((d) => d._id);
      await deleteByIds(this.changeCol, ids, this.mode());
      return ids;
    },
  };
}

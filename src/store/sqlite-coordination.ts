import { DatabaseSync } from "node:sqlite";
import { json, type Row } from "./sqlite-connection.ts";
import type {
  CounterStore,
  CountIncrement,
  IndexChangeStore,
  Lease,
  LeaseStore,
} from "./store-coordination.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS leases (
  name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL, note TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS counters (
  key TEXT NOT NULL, writer TEXT NOT NULL, count INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  PRIMARY KEY (key, writer)
) STRICT;
CREATE INDEX IF NOT EXISTS counters_expiry ON counters (expires_at);
CREATE TABLE IF NOT EXISTS index_changes (customer_id TEXT PRIMARY KEY) STRICT;
`;

const leaseOf = (r: Row | undefined): Lease | null =>
  r
    ? {
        name: r.name as string,
        owner: r.owner as string,
        expiresAt: Number(r.expires_at),
        ...(r.note !== null ? { note: r.note as string } : {}),
      }
    : null;

/**
 * Leases, counters and the index-change journal of the embedded store, in a database file of their
 * own (`coordination.db`): a lease's heartbeat never waits behind a delivery's long write transaction
 * on the main database. The embedded store serves one instance, yet runs the same code paths.
 */
export class SqliteCoordination {
  private db: DatabaseSync | undefined;
  private readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  init(): void {
    if (this.db) return;
    this.db = new DatabaseSync(this.path);
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    this.db.exec(SCHEMA);
  }

  close(): void {
    if (this.db?.isOpen) this.db.close();
    this.db = undefined;
  }

  private get conn(): DatabaseSync {
    if (!this.db) throw new Error("the coordination database is not open (init() first)");
    return this.db;
  }

  readonly leases: LeaseStore = {
    acquire: async (name, owner, ttlMs, now, note) => {
      // One statement: the row is taken when absent, expired, or ours; otherwise nothing comes back.
      const row = this.conn
        .prepare(
          `INSERT INTO leases (name, owner, expires_at, note) VALUES (?1, ?2, ?3, ?4)
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
             note = excluded.note
           WHERE leases.expires_at <= ?5 OR leases.owner = excluded.owner
           RETURNING name, owner, expires_at, note`,
        )
        .get(name, owner, now + ttlMs, note ?? null, now) as Row | undefined;
      return leaseOf(row);
    },
    renew: async (name, owner, ttlMs, now) =>
      Number(
        this.conn
          .prepare("UPDATE leases SET expires_at = ? WHERE name = ? AND owner = ?")
          .run(now + ttlMs, name, owner).changes,
      ) === 1,
    release: async (name, owner) => {
      // Expired rather than deleted: the next owner may take it at once, and reads who held it last.
      this.conn.prepare("UPDATE leases SET expires_at = 0 WHERE name = ? AND owner = ?").run(name, owner);
    },
    get: async (name) =>
      leaseOf(
        this.conn.prepare("SELECT name, owner, expires_at, note FROM leases WHERE name = ?").get(name) as
          | Row
          | undefined,
      ),
  };

  readonly counters: CounterStore = {
    add: async (increments: readonly CountIncrement[], writer: string) => {
      const stmt = this.conn.prepare(
        `INSERT INTO counters (key, writer, count, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key, writer) DO UPDATE SET count = count + excluded.count,
           expires_at = max(expires_at, excluded.expires_at)`,
      );
      this.conn.exec("BEGIN IMMEDIATE");
      try {
        for (const i of increments) stmt.run(i.key, writer, i.by, i.expiresAt);
        this.conn.exec("COMMIT");
      } catch (err) {
        this.conn.exec("ROLLBACK");
        throw err;
      }
      return this.counters.read(increments.map((i) => i.key));
    },
    read: async (keys) => {
      const rows = this.conn
        .prepare(
          "SELECT key, sum(count) AS count FROM counters WHERE key IN (SELECT value FROM json_each(?)) GROUP BY key",
        )
        .all(json(keys)) as Row[];
      const byKey = new Map(rows.map((r) => [r.key as string, Number(r.count)]));
      return keys.map((k) => byKey.get(k) ?? 0);
    },
    delete: async (keys) => {
      this.conn.prepare("DELETE FROM counters WHERE key IN (SELECT value FROM json_each(?))").run(json(keys));
    },
    deleteExpired: async (now) =>
      Number(this.conn.prepare("DELETE FROM counters WHERE expires_at <= ?").run(now).changes),
  };

  readonly indexChanges: IndexChangeStore = {
    note: async (customerIds) => {
      if (customerIds.length === 0) return;
      this.conn
        .prepare("INSERT OR IGNORE INTO index_changes (customer_id) SELECT value FROM json_each(?)")
        .run(json(customerIds));
    },
    take: async (limit) => {
      const rows = this.conn
        .prepare(
          "DELETE FROM index_changes WHERE customer_id IN (SELECT customer_id FROM index_changes LIMIT ?) RETURNING customer_id",
        )
        .all(limit) as Row[];
      return rows.map((r) => r.customer_id as string).sort();
    },
  };
}

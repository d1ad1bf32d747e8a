import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { notFound } from "../domain/errors.ts";
import type { AuditRecord, Customer, Delivery, Job, Policy, Product } from "../domain/model.ts";
import { TimeSlice } from "../time-slice.ts";
import { compactId, expandId } from "./compact-id.ts";
import { FileDir } from "./file-dir.ts";
import { HashFilter } from "./hash-filter.ts";
import { keyHash } from "./key-hash.ts";
import { SqliteAuditWriter } from "./sqlite-audit.ts";
import { type AuditTaskResult, AuditUpkeep } from "./sqlite-audit-upkeep.ts";
import { type CheckpointResult, WalCheckpointer } from "./sqlite-checkpointer.ts";
import { SqlitePartners } from "./sqlite-partners.ts";
import { SQLITE_AUDIT_SCHEMA, SQLITE_MIGRATE_POLICIES, SQLITE_SCHEMA } from "./sqlite-schema.ts";
import { immediateTransaction } from "./sqlite-transaction.ts";
import type { AuditQuery, MatchedCustomers, PolicyKey, Store } from "./store.ts";

type Row = Record<string, SQLInputValue>;
const parse = <T>(row: Row | undefined): T | null => (row ? (JSON.parse(row.doc as string) as T) : null);
const parseAll = <T>(rows: Row[]): T[] => rows.map((r) => JSON.parse(r.doc as string) as T);
const json = (values: readonly unknown[]) => JSON.stringify(values);

/** A statement of `db`, prepared once and kept in `cache`. */
function prepared(db: DatabaseSync, cache: Map<string, StatementSync>, sql: string): StatementSync {
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}

/** Ids or keys per statement of a big read, so that the read can pause between statements. */
const READ_CHUNK = 2000;
/** Look-ups of at least this many keys build the key filters first (see `filtersFor`). */
const FILTER_FROM_KEYS = 10_000;
/** Rows per statement while a filter is built. */
const FILTER_SCAN_PAGE = 50_000;

/** Policy numbers per statement when all of a partner's are read (the end of a full delivery). */
const POLICY_NUMBER_PAGE = 20_000;

/** Rows of a table one statement of a lineage scan looks at (each ~10-50 ms at 1,000,000 rows). */
const LINEAGE_PAGE = 10_000;

/**
 * Positions of `hashes` (53-bit key hashes) in ascending order of their high 32 bits, equal ones by
 * position. One native sort of numbers (high bits × 2^20 + position) does it: sorting {hash, id}
 * objects with a comparator took ~35 ms of a 25,000-row batch, a Map from hash to id ~50 % more.
 * Hashes sharing their high 32 bits are rare and keep their order, which only costs locality.
 */
function hashOrder(hashes: readonly number[]): Iterable<number> {
  const n = hashes.length;
  if (n >= 2 ** 20) return [...hashes.keys()].sort((a, b) => hashes[a]! - hashes[b]! || a - b);
  const keyed = new Float64Array(n);
  for (let i = 0; i < n; i++) keyed[i] = Math.floor(hashes[i]! / 2 ** 21) * 2 ** 20 + i;
  keyed.sort();
  return Array.from(keyed, (k) => k % 2 ** 20);
}

/**
 * Walks a table in keyset pages: `page(after)` answers up to `size` rows after key `after` in key
 * order, `keyOf` a row's key; `each` sees every row. Pauses between pages, so searches and HTTP run
 * meanwhile and no statement holds the event loop for the whole table.
 */
async function keysetPages<R, K>(
  first: K,
  size: number,
  page: (after: K) => readonly R[],
  keyOf: (row: R) => K,
  each: (row: R) => void,
): Promise<void> {
  const slice = new TimeSlice(1);
  for (let after = first; ; ) {
    if (slice.due()) await slice.next();
    const rows = page(after);
    for (const r of rows) each(r);
    if (rows.length < size) return;
    after = keyOf(rows.at(-1)!);
  }
}

/** Options of the embedded store: a directory holding the database file and the delivered files. */
export interface SqliteStoreOptions {
  dataDir: string;
  /** Hash of identity keys in the lookup table (default keyHash; tests force collisions with it). */
  keyHash?: (key: string) => number;
  /** WAL size from which the checkpoint thread copies frames after every commit (default 256 MiB). */
  walPassFromBytes?: number;
  /** Recent audit customer rows from which they are moved into the customer index (default 200,000). */
  auditMergeFromRows?: number;
  /**
   * A merge due waits for a lull in lookups: a window of `ms` with at most `appends` audit records
   * (default 1,000 ms and 20). It waits at most until 4 times `auditMergeFromRows` more rows have come
   * (1,000,000 rows recent by default).
   */
  auditMergeLull?: { ms: number; appends: number };
}

/** How far past its threshold a merge may wait for a lull: then it starts whatever the load. */
const AUDIT_MERGE_WAIT_FACTOR = 5;

/**
 * The embedded system of record: one SQLite database (WAL) under DATA_DIR, the audit log in a second
 * one beside it, delivered files as plain files under DATA_DIR/files. Statements are prepared once.
 *
 * A batch is written in one transaction that pauses for the event loop every few milliseconds (see
 * src/time-slice.ts); writes queue behind each other (one writer at a time), and reads made while a batch is
 * paused half-written go through a second, read-only connection, so they see committed data only.
 */
export class SqliteStore implements Store {
  readonly kind = "sqlite" as const;
  private readonly path: string;
  private readonly db: DatabaseSync;
  private reader: DatabaseSync | undefined;
  private readonly auditDb: DatabaseSync;
  private readonly files: FileDir;
  private readonly statements = new Map<string, StatementSync>();
  private readonly readStatements = new Map<string, StatementSync>();
  private readonly keyHash: (key: string) => number;
  private readonly checkpointer: WalCheckpointer;
  private readonly auditUpkeep: AuditUpkeep;
  private readonly auditCheckpointer: WalCheckpointer;
  private auditCommits = 0;
  private readonly auditMergeFromRows: number;
  /** Rows in audit_customers_new, and the count from which the next merge starts. */
  private recentAuditRows = 0;
  private nextAuditMergeAt = 0;
  private auditMergeAsked = false;
  private readonly auditMergeLull: { ms: number; appends: number };
  private auditLullTimer: NodeJS.Timeout | undefined;
  private auditAppendsInWindow = 0;
  /**
   * What the identity-key and policy tables hold, as Bloom filters of key hashes, with the database's
   * `data_version` when they were built: another process writing the file changes it, and then they
   * are dropped. Kept up to date by every write of this store.
   */
  private filters: { keys: HashFilter; policies: HashFilter; dataVersion: number } | undefined;
  /** Settles when the write running now (if any) is done; each write chains itself behind it. */
  private writes: Promise<void> = Promise.resolve();
  readonly partners = new SqlitePartners({
    write: (sql) => this.q(sql),
    read: (sql) => this.r(sql),
    exclusive: (fn) => this.exclusive(fn),
    exec: (sql) => this.db.exec(sql),
  });

  constructor(options: SqliteStoreOptions) {
    this.keyHash = options.keyHash ?? keyHash;
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, "klantherkenning.db");
    this.db = new DatabaseSync(this.path);
    this.auditDb = new DatabaseSync(join(options.dataDir, "audit.db"));
    this.files = new FileDir(join(options.dataDir, "files"));
    this.checkpointer = new WalCheckpointer(this.path, options.walPassFromBytes ?? 256 * 1024 ** 2);
    this.auditMergeFromRows = options.auditMergeFromRows ?? 200_000;
    this.nextAuditMergeAt = this.auditMergeFromRows;
    this.auditMergeLull = options.auditMergeLull ?? { ms: 1_000, appends: 20 };
    this.auditUpkeep = new AuditUpkeep(join(options.dataDir, "audit.db"));
    this.auditCheckpointer = new WalCheckpointer(join(options.dataDir, "audit.db"), 4 * 1024 ** 2);
    this.auditUpkeep.onDone = (task, result) => {
      if (result.recentLeft !== undefined) this.recentAuditRows = result.recentLeft;
      if (task.kind !== "merge") return;
      this.auditMergeAsked = false;
      // A failed merge is tried again once as many rows again have come.
      this.nextAuditMergeAt = result.error
        ? this.recentAuditRows + this.auditMergeFromRows
        : this.auditMergeFromRows;
    };
  }

  /** A statement on the writing connection: for writes, and for reads within a write. */
  private q(sql: string): StatementSync {
    return prepared(this.db, this.statements, sql);
  }

  /**
   * A statement for a read: on the writing connection (its large page cache) unless a write
   * transaction is open there, paused; then on the reading connection, which sees committed data only.
   */
  private r(sql: string): StatementSync {
    if (!this.db.isTransaction) return this.q(sql);
    if (!this.reader) {
      this.reader = new DatabaseSync(this.path);
      this.reader.exec("PRAGMA query_only = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -16384;");
    }
    return prepared(this.reader, this.readStatements, sql);
  }

  /** Runs `fn` once every write queued before it is done; writes never interleave. */
  private exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const before = this.writes;
    let release!: () => void;
    this.writes = new Promise<void>((resolve) => (release = resolve));
    return before.then(fn).finally(release);
  }

  /**
   * Runs the statements `steps` makes (one per `yield`) in one write transaction, handing the event
   * loop back every few milliseconds (TimeSlice); commits when the steps end, rolls back when one throws.
   */
  private writeTx<T>(steps: () => Generator<void, T>): Promise<T> {
    return this.exclusive(async () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const it = steps();
        const slice = new TimeSlice();
        for (;;) {
          const step = it.next();
          if (step.done) {
            this.db.exec("COMMIT");
            this.checkpointer.afterCommit();
            return step.value;
          }
          if (slice.due()) await slice.next();
        }
      } catch (err) {
        if (this.db.isOpen && this.db.isTransaction) this.db.exec("ROLLBACK");
        throw err;
      }
    });
  }

  /** Checkpoints the WAL now on the checkpoint thread (for tests and tools). */
  checkpoint(): Promise<CheckpointResult> {
    return this.checkpointer.checkpoint();
  }

  /** Checkpoints the checkpoint thread has finished so far. */
  get checkpoints(): number {
    return this.checkpointer.completed;
  }

  /** A read of many ids or keys, one statement per READ_CHUNK of them, pausing between long ones. */
  private async chunked<I, R>(items: readonly I[], read: (chunk: readonly I[]) => Iterable<R>): Promise<R[]> {
    const out: R[] = [];
    const slice = new TimeSlice(1);
    for (let i = 0; i < items.length; i += READ_CHUNK) {
      if (slice.due()) await slice.next();
      for (const r of read(items.slice(i, i + READ_CHUNK))) out.push(r);
    }
    return out;
  }

  private tx<T>(fn: () => T): T {
    return immediateTransaction(this.db, fn);
  }

  async init(): Promise<void> {
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    // 128 MiB of page cache (the default is 2 MiB): identity-key and policy-number indexes of a
    // million-row portfolio stay in memory while a delivery writes into them at random places.
    // The writer checkpoints at 512 MiB of WAL instead of SQLite's 4 MiB: a delivery batch of a
    // million-row portfolio dirties ~50 MiB of identity-key and policy-index pages, mostly the same
    // pages batch after batch, and a rare checkpoint copies each once instead of once per batch
    // (1,000,000 rows: commits 59 s → 38 s). From 256 MiB on, the checkpoint thread
    // (sqlite-checkpointer.ts) copies frames after every commit, so that checkpoint finds only the
    // last few left; the WAL then starts afresh, cut back to 64 MiB.
    this.db.exec(
      `PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY;
       PRAGMA wal_autocheckpoint = ${Math.floor((512 * 1024 ** 2) / this.pageSize())};
       PRAGMA journal_size_limit = ${64 * 1024 ** 2};`,
    );
    const oldPolicies = this.db
      .prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_autoindex_policies_1'")
      .get();
    if (oldPolicies) this.tx(() => this.db.exec(SQLITE_MIGRATE_POLICIES));
    this.db.exec(SQLITE_SCHEMA);
    this.partners.init();
    this.migrateKeyTable();
    // No waiting for locks on this connection: the audit upkeep thread writes too, and a wait in
    // SQLite's busy handler would stop the event loop (the audit writer tries again on a timer). Its
    // checkpoints run on a thread as well: copying the WAL the upkeep thread wrote, inside a lookup's
    // commit, held the event loop 127 ms (audit retention bench, 2026-12-01); SQLite's own checkpoint
    // stays, at 32 MiB, for when that thread cannot keep up.
    this.auditDb.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 0;
       PRAGMA wal_autocheckpoint = ${Math.floor((32 * 1024 ** 2) / this.pageSize(this.auditDb))};
       PRAGMA cache_size = -32768; ${SQLITE_AUDIT_SCHEMA}`,
    );
    this.migrateAuditTables();
    this.recentAuditRows = Number(
      (this.auditDb.prepare("SELECT count(*) AS n FROM audit_customers_new").get() as Row).n,
    );
    // Rows left recent by an earlier run: nobody is looking anything up yet, so no lull is awaited.
    if (this.recentAuditRows >= this.nextAuditMergeAt) this.startAuditMerge();
    await this.files.init();
  }

  /** Moves an audit log kept in the main database (earlier layout) into `audit.db`. */
  private migrateAuditTables(): void {
    if (!this.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'audit'").get()) return;
    const copy = (select: string, insert: string) => {
      const rows = this.db.prepare(select);
      rows.setReturnArrays(true);
      const put = this.auditDb.prepare(insert);
      for (const row of rows.iterate() as Iterable<SQLInputValue[]>) put.run(...row);
    };
    immediateTransaction(this.auditDb, () => {
      copy("SELECT id, at, subject, doc FROM audit", "INSERT OR IGNORE INTO audit VALUES (?, ?, ?, ?)");
      if (this.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'audit_customers'").get())
        copy(
          "SELECT audit_id, customer_id FROM audit_customers",
          "INSERT OR IGNORE INTO audit_customers (audit_id, customer_id) VALUES (?, ?)",
        );
    });
    // Only once the copy is committed: a crash in between copies again (OR IGNORE), losing nothing.
    this.tx(() => this.db.exec("DROP TABLE IF EXISTS audit_customers; DROP TABLE audit;"));
  }

  /**
   * Moves identity keys of earlier layouts (key strings indexed twice; hashes with text ids) into
   * `identity_keys`.
   */
  private migrateKeyTable(): void {
    const put = this.db.prepare(
      "INSERT INTO identity_keys (hash, customer_id) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING",
    );
    const migrate = (table: string, select: string, hashOf: (value: string | number) => number) => {
      if (!this.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = ?").get(table)) return;
      this.tx(() => {
        const rows = this.db.prepare(select);
        rows.setReturnArrays(true);
        for (const [value, customerId] of rows.iterate() as Iterable<[string | number, string]>)
          put.run(hashOf(value), compactId(customerId));
        this.db.exec(`DROP TABLE ${table}`);
      });
    };
    migrate("customer_keys", "SELECT key, customer_id FROM customer_keys ORDER BY key", (key) =>
      this.keyHash(String(key)),
    );
    migrate("customer_key_hashes", "SELECT hash, customer_id FROM customer_key_hashes", Number);
  }

  private policyHash(partner: string, policyNumber: string): number {
    return this.keyHash(`${partner}\u0000${policyNumber}`);
  }

  private dataVersion(): number {
    return Number((this.q("PRAGMA data_version").get() as Row).data_version);
  }

  /**
   * The key filters for a look-up of `size` keys: built first when the look-up is big (a delivery
   * batch; ~3.5 s at 1,000,000 customers, once per process), else only when already there. Dropped
   * when another connection has written the database since, or when one is overfull.
   */
  private async filtersFor(size: number): Promise<SqliteStore["filters"]> {
    const f = this.filters;
    if (f && (f.dataVersion !== this.dataVersion() || f.keys.overfull || f.policies.overfull))
      this.filters = undefined;
    if (!this.filters && size >= FILTER_FROM_KEYS) await this.exclusive(() => this.buildFilters());
    return this.filters;
  }

  /**
   * Reads every key hash and policy key into new filters. Runs in the write queue: no write of this
   * process is open or starts meanwhile, and those queued behind it find the filters in place.
   */
  private async buildFilters(): Promise<void> {
    if (this.filters) return;
    const count = (table: string) => Number((this.q(`SELECT count(*) AS n FROM ${table}`).get() as Row).n);
    const filters = {
      keys: new HashFilter(Math.max(4_000_000, 2 * count("identity_keys"))),
      policies: new HashFilter(Math.max(2_000_000, 2 * count("policies"))),
      dataVersion: this.dataVersion(),
    };
    // Keyset pages of FILTER_SCAN_PAGE rows as arrays, whose first column is the page key.
    const scan = <R extends [number, ...unknown[]]>(sql: string, each: (row: R) => void) => {
      const page = this.q(sql);
      page.setReturnArrays(true);
      return keysetPages(
        Number.MIN_SAFE_INTEGER,
        FILTER_SCAN_PAGE,
        (after) => page.all(after, FILTER_SCAN_PAGE) as unknown as R[],
        (row) => row[0],
        each,
      );
    };
    await scan<[number]>("SELECT hash FROM identity_keys WHERE hash > ? ORDER BY hash LIMIT ?", ([hash]) =>
      filters.keys.add(hash),
    );
    await scan<[number, string, string]>(
      "SELECT rowid, partner, policy_number FROM policies WHERE rowid > ? ORDER BY rowid LIMIT ?",
      ([, partner, policyNumber]) => filters.policies.add(this.policyHash(partner, policyNumber)),
    );
    this.filters = filters;
  }

  private pageSize(db = this.db): number {
    return Number((db.prepare("PRAGMA page_size").get() as Row).page_size);
  }

  async close(): Promise<void> {
    // After the writes already queued: none is left paused half-way in its transaction.
    await this.exclusive(async () => {
      await this.checkpointer.close();
      clearTimeout(this.auditLullTimer);
      this.auditLullTimer = undefined;
      await this.auditUpkeep.close();
      await this.auditCheckpointer.close();
      this.statements.clear();
      this.readStatements.clear();
      this.auditStatements.clear();
      if (this.reader?.isOpen) this.reader.close();
      if (this.db.isOpen) this.db.close();
      if (this.auditDb.isOpen) this.auditDb.close();
    });
  }

  async ping(): Promise<void> {
    this.q("SELECT 1").get();
  }

  putFile(id: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
    return this.files.put(id, chunks);
  }
  readFile(id: string): AsyncIterable<Uint8Array> {
    return this.files.read(id);
  }
  deleteFile(id: string): Promise<void> {
    return this.files.delete(id);
  }

  insertDelivery(d: Delivery): Promise<void> {
    return this.exclusive(() => this.putDelivery(d));
  }

  private putDelivery(d: Delivery): void {
    this.q(
      `INSERT INTO deliveries (id, partner, sha256, status, received_at, duplicate_of, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET partner=excluded.partner, sha256=excluded.sha256, status=excluded.status,
       received_at=excluded.received_at, duplicate_of=excluded.duplicate_of, doc=excluded.doc`,
    ).run(d.id, d.partner, d.sha256, d.status, d.receivedAt, d.duplicateOf ?? null, JSON.stringify(d));
  }

  updateDelivery(id: string, patch: Partial<Omit<Delivery, "id">>): Promise<void> {
    return this.exclusive(() => {
      const current = this.deliveryById(id);
      if (!current) throw notFound(`delivery ${id}`);
      this.putDelivery({ ...current, ...patch, id });
    });
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    return this.deliveryById(id);
  }

  private deliveryById(id: string): Delivery | null {
    return parse<Delivery>(this.r("SELECT doc FROM deliveries WHERE id = ?").get(id) as Row | undefined);
  }

  async findDeliveryBySha256(partner: string, sha256: string): Promise<Delivery | null> {
    const row = this.r(
      `SELECT doc FROM deliveries WHERE partner = ? AND sha256 = ? AND duplicate_of IS NULL AND status <> 'failed'
       ORDER BY received_at, id LIMIT 1`,
    ).get(partner, sha256) as Row | undefined;
    return parse<Delivery>(row);
  }

  async listDeliveries(filter: { receivedBefore?: string; partner?: string }): Promise<Delivery[]> {
    const rows = this.r(
      `SELECT doc FROM deliveries WHERE (?1 IS NULL OR received_at < ?1) AND (?2 IS NULL OR partner = ?2)
       ORDER BY received_at, id`,
    ).all(filter.receivedBefore ?? null, filter.partner ?? null) as Row[];
    return parseAll<Delivery>(rows);
  }

  deleteDelivery(id: string): Promise<void> {
    return this.exclusive(() => {
      this.q("DELETE FROM deliveries WHERE id = ?").run(id);
    });
  }

  async getCustomer(id: string): Promise<Customer | null> {
    return parse<Customer>(
      this.r("SELECT doc FROM customers WHERE customer_id = ?").get(id) as Row | undefined,
    );
  }

  async getCustomers(ids: readonly string[]): Promise<Customer[]> {
    // Sorted first, so that the chunks' answers, one after another, are in customer_id order.
    const sorted = [...new Set(ids)].sort();
    return this.chunked(sorted, (chunk) =>
      parseAll<Customer>(
        this.r(
          "SELECT doc FROM customers WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id",
        ).all(json(chunk)) as Row[],
      ),
    );
  }

  async findCustomerIdsByMatchKeys(keys: readonly string[]): Promise<Map<string, string>> {
    const hits = await this.keyHits(keys);
    if (hits.owners.length === 0) return new Map();
    // Only the keys each named customer holds: a narrow read of their documents' keys.
    const held = new Map(
      await this.chunked([...new Set(hits.owners)], (chunk) => this.heldKeys(chunk, false)),
    );
    return this.verifiedKeys(hits, (id) => held.get(id));
  }

  async findCustomersByMatchKeys(keys: readonly string[]): Promise<MatchedCustomers> {
    const hits = await this.keyHits(keys);
    if (hits.owners.length === 0) return { customerIds: new Map(), customers: [] };
    // The whole documents at once: the caller needs them, and they hold the keys to check against.
    const byId = new Map<string, Customer>();
    for (const c of await this.getCustomers(hits.owners)) byId.set(c.customerId, c);
    const customerIds = await this.verifiedKeys(hits, (id) => byId.get(id)?.matchKeys);
    const named = new Set(customerIds.values());
    return { customerIds, customers: [...byId.values()].filter((c) => named.has(c.customerId)) };
  }

  /**
   * The lookup rows of these keys' hashes. `keys[i]` are the keys sharing `hashes[i]` (the distinct
   * hashes, ascending); each hit names a customer (`owners`) for the hash at `at`. Arrays instead of a
   * Map from hash to keys (a 53-bit hash is no small integer: each look-up hashed a heap number): the
   * JavaScript of this look-up and of verifiedKeys took 3.4 s of a 1,000,000-row re-delivery's writing
   * thread instead of 4.8 s (one profile each).
   */
  private async keyHits(
    keys: readonly string[],
  ): Promise<{ hashes: number[]; keys: string[][]; at: number[]; owners: string[] }> {
    const none = { hashes: [], keys: [], at: [], owners: [] };
    if (keys.length === 0) return none;
    const filter = (await this.filtersFor(keys.length))?.keys;
    const slice = new TimeSlice();
    const distinct = [...new Set(keys)];
    const hashOf = new Float64Array(distinct.length);
    const kept: number[] = [];
    for (let i = 0; i < distinct.length; i++) {
      if (slice.due()) await slice.next();
      const h = this.keyHash(distinct[i]!);
      hashOf[i] = h;
      if (!filter || filter.mightHold(h)) kept.push(i);
    }
    if (kept.length === 0) return none;
    const order = Uint32Array.from(kept).sort((x, y) => hashOf[x]! - hashOf[y]!);
    const hashes: number[] = [];
    const keysOf: string[][] = [];
    for (const i of order) {
      const h = hashOf[i]!;
      if (hashes.at(-1) === h) keysOf.at(-1)!.push(distinct[i]!);
      else {
        hashes.push(h);
        keysOf.push([distinct[i]!]);
      }
    }
    // Probed in hash order, the list driving the join: consecutive probes then share B-tree pages
    // (50,000 keys against 2,000,000: misses 161 -> 95 ms, hits 273 -> 210 ms, against `hash IN
    // (SELECT value FROM json_each(?))` in any order; 2026-12-01). `j.key` is the position in the chunk.
    const at: number[] = [];
    const owners: string[] = [];
    for (let from = 0; from < hashes.length; from += READ_CHUNK) {
      if (slice.due()) await slice.next();
      const statement = this.r(
        "SELECT j.key, k.customer_id FROM json_each(?) j CROSS JOIN identity_keys k ON k.hash = j.value",
      );
      statement.setReturnArrays(true);
      const rows = statement.all(json(hashes.slice(from, from + READ_CHUNK))) as unknown as Array<
        [number, string | Uint8Array]
      >;
      for (const [position, owner] of rows) {
        at.push(from + position);
        owners.push(expandId(owner));
      }
    }
    return { hashes, keys: keysOf, at, owners };
  }

  /** Key → customer for the hits whose customer holds the key (two keys may share a hash). */
  private async verifiedKeys(
    hits: { keys: readonly (readonly string[])[]; at: readonly number[]; owners: readonly string[] },
    keysOf: (customerId: string) => readonly string[] | undefined,
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const slice = new TimeSlice();
    for (let i = 0; i < hits.owners.length; i++) {
      if (slice.due()) await slice.next();
      const customerId = hits.owners[i]!;
      const held = keysOf(customerId);
      if (!held) continue;
      for (const key of hits.keys[hits.at[i]!]!) if (held.includes(key)) found.set(key, customerId);
    }
    return found;
  }

  /**
   * Steps of a write: the identity keys each of these customers holds as stored, into `into` — taken
   * from `stored` where it has the customer, read from the documents otherwise. Ids above the greatest
   * stored one are not stored: a delivery's new customers (uuid7 ids, made after every stored one) are
   * then not looked for one by one (~2 s of a 1,000,000-row delivery).
   */
  private *storedKeys(
    customerIds: readonly string[],
    stored: ReadonlyMap<string, Customer> | undefined,
    into: Map<string, readonly string[]>,
  ): Generator<void> {
    const unread: string[] = [];
    for (const id of customerIds) {
      const c = stored?.get(id);
      if (c) into.set(id, c.matchKeys);
      else unread.push(id);
    }
    if (unread.length === 0) return;
    const newest = (this.q("SELECT max(customer_id) AS id FROM customers").get() as Row).id as string | null;
    if (newest === null) return;
    const ids = [...new Set(unread)];
    for (let i = 0; i < ids.length; i += READ_CHUNK) {
      for (const [customerId, keys] of this.heldKeys(ids.slice(i, i + READ_CHUNK), true, newest))
        into.set(customerId, keys);
      yield;
    }
  }

  /** Steps of a write: takes out the lookup rows of the keys these customers held (`held`), except `keep`. */
  private *dropKeys(
    held: ReadonlyMap<string, readonly string[]>,
    keep?: ReadonlySet<string>,
  ): Generator<void> {
    const drop = this.q("DELETE FROM identity_keys WHERE hash = ? AND customer_id = ?");
    for (const [customerId, keys] of held) {
      for (const key of keys) if (!keep?.has(key)) drop.run(this.keyHash(key), compactId(customerId));
      yield;
    }
  }

  /**
   * The identity keys each of these stored customers holds, read from their documents (`inWrite`:
   * within a write transaction, which must see its own changes).
   */
  private heldKeys(
    customerIds: readonly string[],
    inWrite: boolean,
    upTo?: string,
  ): Array<[string, string[]]> {
    const sql = `SELECT customer_id, json_extract(doc, '$.matchKeys') AS keys FROM customers
       WHERE customer_id IN (SELECT value FROM json_each(?1) WHERE ?2 IS NULL OR value <= ?2)`;
    const rows = (inWrite ? this.q(sql) : this.r(sql)).all(json(customerIds), upTo ?? null) as Row[];
    return rows.map((r) => [r.customer_id as string, JSON.parse(r.keys as string) as string[]]);
  }

  async putCustomers(customers: readonly Customer[], stored?: ReadonlyMap<string, Customer>): Promise<void> {
    if (customers.length === 0) return;
    const upsert = this.q(
      "INSERT INTO customers (customer_id, doc) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET doc = excluded.doc",
    );
    const putKey = this.q(
      `INSERT INTO identity_keys (hash, customer_id) VALUES (?, ?) ON CONFLICT (hash) DO UPDATE
       SET customer_id = excluded.customer_id WHERE identity_keys.customer_id <> excluded.customer_id`,
    );
    const self = this;
    await this.writeTx(function* () {
      // Every key of this call, and those listed by two of its customers (the last one listed gets it).
      const listed = new Set<string>();
      const twice = new Set<string>();
      for (const c of customers)
        for (const key of c.matchKeys) {
          if (listed.has(key)) twice.add(key);
          else listed.add(key);
        }
      const before = new Map<string, readonly string[]>();
      yield* self.storedKeys(
        customers.map((c) => c.customerId),
        stored,
        before,
      );
      // A key a stored customer held and no customer of this call lists any more goes.
      yield* self.dropKeys(before, listed);
      const hashes: number[] = [];
      const owners: Array<string | Uint8Array> = [];
      for (const c of customers) {
        upsert.run(c.customerId, JSON.stringify(c));
        // Keys a customer held and holds still are left as they are (a re-delivery lists them all
        // again: 2,000,000 look-ups in the key table for nothing, ~4 s of a 1,000,000-row delivery).
        const held = before.get(c.customerId);
        let id: string | Uint8Array | undefined;
        for (const key of c.matchKeys) {
          if (held?.includes(key) && !twice.has(key)) continue;
          id ??= compactId(c.customerId);
          hashes.push(self.keyHash(key));
          owners.push(id);
        }
        yield;
      }
      // In hash order: the random key table is then written leaf after leaf instead of all over.
      // Keys sharing a hash keep their order, so the last one listed wins as it would one by one.
      const filter = self.filters?.keys;
      for (const i of hashOrder(hashes)) {
        putKey.run(hashes[i]!, owners[i]!);
        filter?.add(hashes[i]!);
        yield;
      }
    });
  }

  async deleteCustomers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const self = this;
    await this.writeTx(function* () {
      const held = new Map<string, readonly string[]>();
      yield* self.storedKeys(ids, undefined, held);
      yield* self.dropKeys(held);
      const drop = self.q("DELETE FROM customers WHERE customer_id = ?");
      for (const id of ids) {
        drop.run(id);
        yield;
      }
    });
  }

  async *iterateCustomers(batchSize: number): AsyncIterable<Customer[]> {
    let after = "";
    for (;;) {
      const rows = this.r(
        "SELECT customer_id, doc FROM customers WHERE customer_id > ? ORDER BY customer_id LIMIT ?",
      ).all(after, batchSize) as Row[];
      if (rows.length === 0) return;
      after = rows.at(-1)!.customer_id as string;
      yield parseAll<Customer>(rows);
      if (rows.length < batchSize) return;
    }
  }

  async countCustomers(): Promise<number> {
    return Number((this.r("SELECT count(*) AS n FROM customers").get() as Row).n);
  }

  async customerIdsByDelivery(deliveryId: string): Promise<string[]> {
    // Lineage is asked for only by retention and by undoing a failed delivery: a scan costs seconds
    // there and saves two index writes per row on every delivery. SQLite tests each document (a
    // substring prefilter, then its lineage array) and answers ids only, LINEAGE_PAGE rows per
    // statement: reading and parsing whole documents took 18 s and 2.4 GB for a 1,000,000-row delivery.
    // The statement is taken per page: after a pause a write may be open on the writing connection.
    const page = () =>
      this.r(
        `SELECT customer_id, instr(doc, ?1) > 0 AND EXISTS (SELECT 1 FROM json_each(doc, '$.deliveryIds')
         WHERE value = ?2) AS hit FROM customers WHERE customer_id > ?3 ORDER BY customer_id LIMIT ?4`,
      );
    const ids: string[] = [];
    await keysetPages(
      "",
      LINEAGE_PAGE,
      (after) => page().all(JSON.stringify(deliveryId), deliveryId, after, LINEAGE_PAGE) as Row[],
      (r) => r.customer_id as string,
      (r) => {
        if (r.hit) ids.push(r.customer_id as string);
      },
    );
    return ids;
  }

  async getPolicies(keys: readonly PolicyKey[]): Promise<Policy[]> {
    const filter = (await this.filtersFor(keys.length))?.policies;
    const wanted = filter
      ? keys.filter((k) => filter.mightHold(this.policyHash(k.partner, k.policyNumber)))
      : keys;
    return this.chunked(wanted, (chunk) =>
      parseAll<Policy>(
        this.r(
          `SELECT p.doc FROM json_each(?) k CROSS JOIN policies p
           ON p.policy_number = json_extract(k.value, '$[1]') AND p.partner = json_extract(k.value, '$[0]')`,
        ).all(json(chunk.map((k) => [k.partner, k.policyNumber]))) as Row[],
      ),
    );
  }

  async putPolicies(policies: readonly Policy[]): Promise<void> {
    if (policies.length === 0) return;
    // A policy that keeps its holder (nearly every one a re-delivery writes) gets its document only:
    // SQLite rewrites an index entry whenever its column is assigned, even to the same value, and
    // assigning customer_id cost ~4 µs more a policy (200,000 stored policies: 2.35-2.46 s against
    // 1.56-1.57 s). A policy passing to another customer changes nothing there and is updated next.
    const upsert = this.q(
      `INSERT INTO policies (partner, policy_number, customer_id, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (policy_number, partner) DO UPDATE SET doc = excluded.doc
       WHERE policies.customer_id = excluded.customer_id`,
    );
    const move = this.q(
      "UPDATE policies SET customer_id = ?, doc = ? WHERE policy_number = ? AND partner = ?",
    );
    // In index order (policy_number, partner): the unique index is written leaf after leaf.
    const ordered = [...policies].sort((a, b) =>
      a.policyNumber < b.policyNumber
        ? -1
        : a.policyNumber > b.policyNumber
          ? 1
          : a.partner < b.partner
            ? -1
            : a.partner > b.partner
              ? 1
              : 0,
    );
    const self = this;
    await this.writeTx(function* () {
      const filter = self.filters?.policies;
      for (const p of ordered) {
        const doc = JSON.stringify(p);
        if (upsert.run(p.partner, p.policyNumber, p.customerId, doc).changes === 0)
          move.run(p.customerId, doc, p.policyNumber, p.partner);
        filter?.add(self.policyHash(p.partner, p.policyNumber));
        yield;
      }
    });
  }

  async deletePolicies(keys: readonly PolicyKey[]): Promise<void> {
    if (keys.length === 0) return;
    const drop = this.q("DELETE FROM policies WHERE policy_number = ? AND partner = ?");
    await this.writeTx(function* () {
      for (const k of keys) {
        drop.run(k.policyNumber, k.partner);
        yield;
      }
    });
  }

  async policiesOfCustomers(customerIds: readonly string[]): Promise<Policy[]> {
    // Sorted first, so that the chunks' answers, one after another, keep the order below.
    const sorted = [...new Set(customerIds)].sort();
    return this.chunked(sorted, (chunk) =>
      parseAll<Policy>(
        this.r(
          `SELECT doc FROM policies WHERE customer_id IN (SELECT value FROM json_each(?))
           ORDER BY customer_id, partner, policy_number`,
        ).all(json(chunk)) as Row[],
      ),
    );
  }

  async findPoliciesByNumber(policyNumber: string): Promise<Policy[]> {
    const rows = this.r("SELECT doc FROM policies WHERE policy_number = ? ORDER BY partner").all(
      policyNumber,
    ) as Row[];
    return parseAll<Policy>(rows);
  }

  async policyNumbersOfPartner(partner: string): Promise<string[]> {
    // Walks the covering (policy_number, partner) index POLICY_NUMBER_PAGE numbers a statement, as
    // arrays instead of row objects (1,000,000 numbers: ~0.5-0.6 s against ~1.7 s one row object at a
    // time, which also held the event loop the whole while), pausing between pages.
    const numbers: string[] = [];
    // The first page has no lower bound (a policy number may in principle be empty).
    const page = (after: string | undefined) => {
      const statement = this.r(
        `SELECT policy_number FROM policies WHERE partner = ?1 ${after === undefined ? "" : "AND policy_number > ?3"}
         ORDER BY policy_number LIMIT ?2`,
      );
      statement.setReturnArrays(true);
      const args = after === undefined ? [partner, POLICY_NUMBER_PAGE] : [partner, POLICY_NUMBER_PAGE, after];
      return statement.all(...args) as unknown as Array<[string]>;
    };
    await keysetPages<[string], string | undefined>(
      undefined,
      POLICY_NUMBER_PAGE,
      page,
      ([n]) => n,
      ([n]) => numbers.push(n),
    );
    return numbers;
  }

  async policyKeysByDelivery(deliveryId: string): Promise<PolicyKey[]> {
    // As customerIdsByDelivery: keys only, LINEAGE_PAGE rows of the table per statement (14 s and
    // 3.7 GB for a 1,000,000-row delivery when whole documents were parsed), in table order.
    const page = () =>
      this.r(
        `SELECT partner, policy_number FROM policies WHERE rowid > ?3 AND rowid <= ?3 + ?4
         AND instr(doc, ?1) > 0 AND EXISTS (SELECT 1 FROM json_each(doc, '$.deliveryIds') WHERE value = ?2)`,
      );
    const last = Number((this.r("SELECT max(rowid) AS n FROM policies").get() as Row).n ?? 0);
    const keys: PolicyKey[] = [];
    const slice = new TimeSlice(1);
    for (let after = 0; after < last; after += LINEAGE_PAGE) {
      if (slice.due()) await slice.next();
      for (const r of page().all(JSON.stringify(deliveryId), deliveryId, after, LINEAGE_PAGE) as Row[])
        keys.push({ partner: r.partner as string, policyNumber: r.policy_number as string });
    }
    return keys;
  }

  putProduct(product: Product): Promise<void> {
    return this.exclusive(() => {
      this.q(
        "INSERT INTO products (code, doc) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET doc = excluded.doc",
      ).run(product.code, JSON.stringify(product));
    });
  }
  async getProduct(code: string): Promise<Product | null> {
    return parse<Product>(this.r("SELECT doc FROM products WHERE code = ?").get(code) as Row | undefined);
  }
  async listProducts(): Promise<Product[]> {
    return parseAll<Product>(this.r("SELECT doc FROM products ORDER BY code").all() as Row[]);
  }

  putJob(job: Job): Promise<void> {
    return this.exclusive(() => {
      this.q(
        "INSERT INTO jobs (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
      ).run(job.id, JSON.stringify(job));
    });
  }
  async getJob(id: string): Promise<Job | null> {
    return parse<Job>(this.r("SELECT doc FROM jobs WHERE id = ?").get(id) as Row | undefined);
  }

  // Audit records of one event-loop turn share a commit; each append still waits for its own.
  private auditWriter: SqliteAuditWriter | undefined;

  async appendAudit(record: AuditRecord): Promise<void> {
    this.auditWriter ??= new SqliteAuditWriter(
      this.auditDb,
      (rows) => {
        // A lookup's commit adds a few pages: a pass every 200 commits (~4 MiB) keeps well below 32 MiB.
        if (++this.auditCommits % 200 === 0) this.auditCheckpointer.afterCommit();
        this.afterAuditRows(rows);
      },
      (waiting) => this.auditUpkeep.writerWaiting(waiting),
    );
    // Counted as it comes (not at its commit), so a window's lookups are all seen by its end.
    this.auditAppendsInWindow++;
    return this.auditWriter.append(record);
  }

  /**
   * Counts the audit customer rows appended; enough of them start a merge on the upkeep thread, in a
   * lull. A merge of 200,000 rows costs ~2-3 CPU-s (~10 µs a row, most of it SQLite's B-tree insert
   * into millions of rows), which on two cores under a burst of lookups showed as 0.2-0.4 CPU-ms a
   * request and ~10 ms more search p95 in the runs it fell in. Deferred, it is the same work, done
   * when the lookups pause; under load that never pauses it waits until 5 times as many rows are
   * recent (lookups by customer scan the recent rows meanwhile: ~23 ms per 200,000).
   */
  private afterAuditRows(rows: number): void {
    this.recentAuditRows += rows;
    if (this.auditMergeAsked || this.recentAuditRows < this.nextAuditMergeAt) return;
    const waitedEnough = this.nextAuditMergeAt + (AUDIT_MERGE_WAIT_FACTOR - 1) * this.auditMergeFromRows;
    if (this.recentAuditRows >= waitedEnough) this.startAuditMerge();
    else this.awaitAuditLull();
  }

  // Looks at the appends of the next window; few enough, and the merge starts.
  private awaitAuditLull(): void {
    if (this.auditLullTimer) return;
    this.auditAppendsInWindow = 0;
    this.auditLullTimer = setTimeout(() => {
      this.auditLullTimer = undefined;
      if (this.auditMergeAsked || !this.auditDb.isOpen) return;
      if (this.auditAppendsInWindow <= this.auditMergeLull.appends) this.startAuditMerge();
      else this.awaitAuditLull();
    }, this.auditMergeLull.ms);
    this.auditLullTimer.unref();
  }

  private startAuditMerge(): void {
    clearTimeout(this.auditLullTimer);
    this.auditLullTimer = undefined;
    this.auditMergeAsked = true;
    void this.auditUpkeep.merge();
  }

  /** Moves the recent audit customer rows into the customer index now (for tests and tools). */
  mergeAudit(): Promise<AuditTaskResult> {
    this.auditMergeAsked = true;
    return this.auditUpkeep.merge();
  }

  private readonly auditStatements = new Map<string, StatementSync>();

  private auditQ(sql: string): StatementSync {
    return prepared(this.auditDb, this.auditStatements, sql);
  }

  async queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const rows = this.auditQ(
      `SELECT doc FROM audit WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at <= ?2) AND (?3 IS NULL OR subject = ?3)
       AND (?4 IS NULL OR id IN (SELECT audit_id FROM audit_customers WHERE customer_id = ?4
                                 UNION ALL SELECT audit_id FROM audit_customers_new WHERE customer_id = ?4))
       ORDER BY at DESC, id DESC LIMIT ?5`,
    ).all(
      query.from ?? null,
      query.to ?? null,
      query.subject ?? null,
      query.customerId ?? null,
      query.limit,
    ) as Row[];
    return parseAll<AuditRecord>(rows);
  }

  /** Deletes audit records older than `before`, on the audit thread in short steps (sqlite-audit-upkeep.ts). */
  async deleteAuditBefore(before: string): Promise<number> {
    const result = await this.auditUpkeep.deleteBefore(before);
    if (result.error) throw new Error(`audit retention stopped: ${result.error}`);
    return result.done;
  }
}

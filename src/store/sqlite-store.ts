import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { notFound } from "../domain/errors.ts";
import type { AuditRecord, Customer, Delivery, Job, Policy, Product } from "../domain/model.ts";
import { compactId, expandId } from "./compact-id.ts";
import { FileDir } from "./file-dir.ts";
import { keyHash } from "./key-hash.ts";
import { SqliteAuditWriter } from "./sqlite-audit.ts";
import { SQLITE_MIGRATE_POLICIES, SQLITE_SCHEMA } from "./sqlite-schema.ts";
import type { AuditQuery, PolicyKey, Store } from "./store.ts";

type Row = Record<string, SQLInputValue>;
const parse = <T>(row: Row | undefined): T | null => (row ? (JSON.parse(row.doc as string) as T) : null);
const parseAll = <T>(rows: Row[]): T[] => rows.map((r) => JSON.parse(r.doc as string) as T);
const json = (values: readonly unknown[]) => JSON.stringify(values);

/** Options of the embedded store: a directory holding the database file and the delivered files. */
export interface SqliteStoreOptions {
  dataDir: string;
  /** Hash of identity keys in the lookup table (default keyHash; tests force collisions with it). */
  keyHash?: (key: string) => number;
}

/**
 * The embedded system of record: one SQLite database (WAL) under DATA_DIR, delivered files as plain
 * files under DATA_DIR/files. Batches run in one transaction; statements are prepared once.
 */
export class SqliteStore implements Store {
  readonly kind = "sqlite" as const;
  private readonly db: DatabaseSync;
  private readonly files: FileDir;
  private readonly statements = new Map<string, StatementSync>();
  private readonly keyHash: (key: string) => number;

  constructor(options: SqliteStoreOptions) {
    this.keyHash = options.keyHash ?? keyHash;
    mkdirSync(options.dataDir, { recursive: true });
    this.db = new DatabaseSync(join(options.dataDir, "klantherkenning.db"));
    this.files = new FileDir(join(options.dataDir, "files"));
  }

  private q(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private tx<T>(fn: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      this.db.exec("COMMIT");
      return result;
    } catch (err) {
      this.db.exec("ROLLBACK");
      throw err;
    }
  }

  async init(): Promise<void> {
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    // 128 MiB of page cache (the default is 2 MiB): identity-key and policy-number indexes of a
    // million-row portfolio stay in memory while a delivery writes into them at random places.
    // Checkpoint every 512 MiB of WAL instead of 4 MiB: a delivery batch of a million-row portfolio
    // dirties ~50 MiB of identity-key and policy-index pages, mostly the same pages batch after batch;
    // a rare checkpoint copies each into the database (and fsyncs) once instead of once per batch
    // (1,000,000 rows: commits 59 s → 38 s). The WAL is cut back to 64 MiB after each checkpoint.
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
    this.migrateKeyTable();
    await this.files.init();
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

  private pageSize(): number {
    return Number((this.db.prepare("PRAGMA page_size").get() as Row).page_size);
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.isOpen) this.db.close();
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

  async insertDelivery(d: Delivery): Promise<void> {
    this.q(
      `INSERT INTO deliveries (id, partner, sha256, status, received_at, duplicate_of, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET partner=excluded.partner, sha256=excluded.sha256, status=excluded.status,
       received_at=excluded.received_at, duplicate_of=excluded.duplicate_of, doc=excluded.doc`,
    ).run(d.id, d.partner, d.sha256, d.status, d.receivedAt, d.duplicateOf ?? null, JSON.stringify(d));
  }

  async updateDelivery(id: string, patch: Partial<Omit<Delivery, "id">>): Promise<void> {
    const current = await this.getDelivery(id);
    if (!current) throw notFound(`delivery ${id}`);
    await this.insertDelivery({ ...current, ...patch, id });
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    return parse<Delivery>(this.q("SELECT doc FROM deliveries WHERE id = ?").get(id) as Row | undefined);
  }

  async findDeliveryBySha256(partner: string, sha256: string): Promise<Delivery | null> {
    const row = this.q(
      `SELECT doc FROM deliveries WHERE partner = ? AND sha256 = ? AND duplicate_of IS NULL AND status <> 'failed'
       ORDER BY received_at, id LIMIT 1`,
    ).get(partner, sha256) as Row | undefined;
    return parse<Delivery>(row);
  }

  async listDeliveries(filter: { receivedBefore?: string; partner?: string }): Promise<Delivery[]> {
    const rows = this.q(
      `SELECT doc FROM deliveries WHERE (?1 IS NULL OR received_at < ?1) AND (?2 IS NULL OR partner = ?2)
       ORDER BY received_at, id`,
    ).all(filter.receivedBefore ?? null, filter.partner ?? null) as Row[];
    return parseAll<Delivery>(rows);
  }

  async deleteDelivery(id: string): Promise<void> {
    this.q("DELETE FROM deliveries WHERE id = ?").run(id);
  }

  async getCustomer(id: string): Promise<Customer | null> {
    return parse<Customer>(
      this.q("SELECT doc FROM customers WHERE customer_id = ?").get(id) as Row | undefined,
    );
  }

  async getCustomers(ids: readonly string[]): Promise<Customer[]> {
    if (ids.length === 0) return [];
    const rows = this.q(
      "SELECT doc FROM customers WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id",
    ).all(json(ids)) as Row[];
    return parseAll<Customer>(rows);
  }

  async findCustomerIdsByMatchKeys(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (keys.length === 0) return found;
    const byHash = new Map<number, string[]>();
    for (const key of new Set(keys)) {
      const h = this.keyHash(key);
      const same = byHash.get(h);
      if (same) same.push(key);
      else byHash.set(h, [key]);
    }
    const hits = this.q(
      "SELECT hash, customer_id FROM identity_keys WHERE hash IN (SELECT value FROM json_each(?))",
    ).all(json([...byHash.keys()])) as Row[];
    if (hits.length === 0) return found;
    // A hash names a customer; only the keys that customer holds count (two keys may share a hash).
    const owners = hits.map((r) => expandId(r.customer_id as string | Uint8Array));
    const held = this.heldKeys(owners);
    hits.forEach((r, i) => {
      const customerId = owners[i]!;
      for (const key of byHash.get(Number(r.hash)) ?? [])
        if (held.get(customerId)?.has(key)) found.set(key, customerId);
    });
    return found;
  }

  /** Takes out the lookup rows of the keys these stored customers hold, except those in `keep`. */
  private dropHeldKeys(customerIds: readonly string[], keep?: ReadonlySet<string>): void {
    const drop = this.q("DELETE FROM identity_keys WHERE hash = ? AND customer_id = ?");
    for (const [customerId, keys] of this.heldKeys(customerIds))
      for (const key of keys) if (!keep?.has(key)) drop.run(this.keyHash(key), compactId(customerId));
  }

  /** The identity keys each of these stored customers holds, read from their documents. */
  private heldKeys(customerIds: readonly string[]): Map<string, Set<string>> {
    const rows = this.q(
      `SELECT customer_id, json_extract(doc, '$.matchKeys') AS keys FROM customers
       WHERE customer_id IN (SELECT value FROM json_each(?))`,
    ).all(json([...new Set(customerIds)])) as Row[];
    return new Map(
      rows.map((r) => [r.customer_id as string, new Set(JSON.parse(r.keys as string) as string[])]),
    );
  }

  async putCustomers(customers: readonly Customer[]): Promise<void> {
    if (customers.length === 0) return;
    const upsert = this.q(
      "INSERT INTO customers (customer_id, doc) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET doc = excluded.doc",
    );
    // Keys mostly stay as they are: the upsert writes only a key that is new or moves.
    const putKey = this.q(
      `INSERT INTO identity_keys (hash, customer_id) VALUES (?, ?) ON CONFLICT (hash) DO UPDATE
       SET customer_id = excluded.customer_id WHERE identity_keys.customer_id <> excluded.customer_id`,
    );
    this.tx(() => {
      // A key a stored customer held and no customer of this batch lists any more goes; one listed
      // by another customer of the batch is moved to them below.
      this.dropHeldKeys(
        customers.map((c) => c.customerId),
        new Set(customers.flatMap((c) => c.matchKeys)),
      );
      const keys: Array<{ hash: number; id: string | Uint8Array }> = [];
      for (const c of customers) {
        upsert.run(c.customerId, JSON.stringify(c));
        const id = compactId(c.customerId);
        for (const key of c.matchKeys) keys.push({ hash: this.keyHash(key), id });
      }
      // In hash order (stable, so keys sharing a hash keep their order): the random key table is
      // then written leaf after leaf instead of all over.
      keys.sort((a, b) => a.hash - b.hash);
      for (const k of keys) putKey.run(k.hash, k.id);
    });
  }

  async deleteCustomers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const list = json(ids);
    this.tx(() => {
      this.dropHeldKeys(ids);
      this.q("DELETE FROM customers WHERE customer_id IN (SELECT value FROM json_each(?))").run(list);
    });
  }

  async *iterateCustomers(batchSize: number): AsyncIterable<Customer[]> {
    let after = "";
    for (;;) {
      const rows = this.q(
        "SELECT customer_id, doc FROM customers WHERE customer_id > ? ORDER BY customer_id LIMIT ?",
      ).all(after, batchSize) as Row[];
      if (rows.length === 0) return;
      after = rows.at(-1)!.customer_id as string;
      yield parseAll<Customer>(rows);
      if (rows.length < batchSize) return;
    }
  }

  async countCustomers(): Promise<number> {
    return Number((this.q("SELECT count(*) AS n FROM customers").get() as Row).n);
  }

  async customerIdsByDelivery(deliveryId: string): Promise<string[]> {
    // Lineage is asked for only by retention and by undoing a failed delivery: a scan with a
    // substring prefilter costs seconds there and saves two index writes per row on every delivery.
    const rows = this.q("SELECT doc FROM customers WHERE instr(doc, ?) > 0 ORDER BY customer_id").all(
      JSON.stringify(deliveryId),
    ) as Row[];
    return parseAll<Customer>(rows)
      .filter((c) => c.deliveryIds.includes(deliveryId))
      .map((c) => c.customerId);
  }

  async getPolicies(keys: readonly PolicyKey[]): Promise<Policy[]> {
    if (keys.length === 0) return [];
    const rows = this.q(
      `SELECT p.doc FROM json_each(?) k CROSS JOIN policies p
       ON p.policy_number = json_extract(k.value, '$[1]') AND p.partner = json_extract(k.value, '$[0]')`,
    ).all(json(keys.map((k) => [k.partner, k.policyNumber]))) as Row[];
    return parseAll<Policy>(rows);
  }

  async putPolicies(policies: readonly Policy[]): Promise<void> {
    if (policies.length === 0) return;
    const upsert = this.q(
      `INSERT INTO policies (partner, policy_number, customer_id, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (policy_number, partner) DO UPDATE SET customer_id = excluded.customer_id, doc = excluded.doc`,
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
    this.tx(() => {
      for (const p of ordered) upsert.run(p.partner, p.policyNumber, p.customerId, JSON.stringify(p));
    });
  }

  async deletePolicies(keys: readonly PolicyKey[]): Promise<void> {
    if (keys.length === 0) return;
    this.tx(() => {
      for (const k of keys) {
        this.q("DELETE FROM policies WHERE policy_number = ? AND partner = ?").run(k.policyNumber, k.partner);
      }
    });
  }

  async policiesOfCustomers(customerIds: readonly string[]): Promise<Policy[]> {
    if (customerIds.length === 0) return [];
    const rows = this.q(
      `SELECT doc FROM policies WHERE customer_id IN (SELECT value FROM json_each(?))
       ORDER BY customer_id, partner, policy_number`,
    ).all(json(customerIds)) as Row[];
    return parseAll<Policy>(rows);
  }

  async findPoliciesByNumber(policyNumber: string): Promise<Policy[]> {
    const rows = this.q("SELECT doc FROM policies WHERE policy_number = ? ORDER BY partner").all(
      policyNumber,
    ) as Row[];
    return parseAll<Policy>(rows);
  }

  async policyNumbersOfPartner(partner: string): Promise<string[]> {
    // Walks the covering (policy_number, partner) index; rows are not materialised all at once.
    const numbers: string[] = [];
    const rows = this.q("SELECT policy_number FROM policies WHERE partner = ? ORDER BY policy_number");
    for (const r of rows.iterate(partner) as Iterable<Row>) numbers.push(r.policy_number as string);
    return numbers;
  }

  async policyKeysByDelivery(deliveryId: string): Promise<PolicyKey[]> {
    const rows = this.q(
      "SELECT doc FROM policies WHERE instr(doc, ?) > 0 ORDER BY partner, policy_number",
    ).all(JSON.stringify(deliveryId)) as Row[];
    return parseAll<Policy>(rows)
      .filter((p) => p.deliveryIds.includes(deliveryId))
      .map((p) => ({ partner: p.partner, policyNumber: p.policyNumber }));
  }

  async putProduct(product: Product): Promise<void> {
    this.q(
      "INSERT INTO products (code, doc) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET doc = excluded.doc",
    ).run(product.code, JSON.stringify(product));
  }
  async getProduct(code: string): Promise<Product | null> {
    return parse<Product>(this.q("SELECT doc FROM products WHERE code = ?").get(code) as Row | undefined);
  }
  async listProducts(): Promise<Product[]> {
    return parseAll<Product>(this.q("SELECT doc FROM products ORDER BY code").all() as Row[]);
  }

  async putJob(job: Job): Promise<void> {
    this.q("INSERT INTO jobs (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc").run(
      job.id,
      JSON.stringify(job),
    );
  }
  async getJob(id: string): Promise<Job | null> {
    return parse<Job>(this.q("SELECT doc FROM jobs WHERE id = ?").get(id) as Row | undefined);
  }

  // Audit records of one event-loop turn share a commit; each append still waits for its own.
  private auditWriter: SqliteAuditWriter | undefined;

  async appendAudit(record: AuditRecord): Promise<void> {
    this.auditWriter ??= new SqliteAuditWriter(this.db);
    return this.auditWriter.append(record);
  }

  async queryAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const rows = this.q(
      `SELECT doc FROM audit WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at <= ?2) AND (?3 IS NULL OR subject = ?3)
       AND (?4 IS NULL OR id IN (SELECT audit_id FROM audit_customers WHERE customer_id = ?4))
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

  async deleteAuditBefore(before: string): Promise<number> {
    return this.tx(() => {
      this.q("DELETE FROM audit_customers WHERE audit_id IN (SELECT id FROM audit WHERE at < ?)").run(before);
      return Number(this.q("DELETE FROM audit WHERE at < ?").run(before).changes);
    });
  }
}

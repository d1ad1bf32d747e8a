import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import type { AuditRecord } from "../domain/model.ts";
import { truncateWal, type WalTruncation } from "../sqlite-wal.ts";
import { SqliteAuditWriter } from "./sqlite-audit.ts";
import { type AuditTaskResult, AuditUpkeep } from "./sqlite-audit-upkeep.ts";
import { WalCheckpointer } from "./sqlite-checkpointer.ts";
import { pageSize, parseAll, prepared, type Row, type SqliteConnection } from "./sqlite-connection.ts";
import { SQLITE_AUDIT_SCHEMA } from "./sqlite-schema.ts";
import { immediateTransaction } from "./sqlite-transaction.ts";
import type { AuditQuery } from "./store.ts";

/** How far past its threshold a merge may wait for a lull: then it starts whatever the load. */
const AUDIT_MERGE_WAIT_FACTOR = 5;

/** When the audit log moves recent customer rows into its customer index (see `SqliteStoreOptions`). */
export interface AuditMergeOptions {
  mergeFromRows: number;
  mergeLull: { ms: number; appends: number };
}

/**
 * The audit log of the embedded store, in a database of its own (`audit.db`) so that its commits never
 * wait for a delivery's transaction. Records are appended with group commit (sqlite-audit.ts); the
 * upkeep thread (sqlite-audit-upkeep.ts) merges the recent customer rows into the customer index in a
 * lull of lookups, and deletes old records for retention.
 */
export class SqliteAuditLog {
  private readonly db: DatabaseSync;
  private readonly path: string;
  private readonly upkeep: AuditUpkeep;
  private readonly checkpointer: WalCheckpointer;
  private readonly statements = new Map<string, StatementSync>();
  // Audit records of one event-loop turn share a commit; each append still waits for its own.
  private writer: SqliteAuditWriter | undefined;
  private commits = 0;
  private readonly mergeFromRows: number;
  private readonly mergeLull: { ms: number; appends: number };
  /** Rows in audit_customers_new, and the count from which the next merge starts. */
  private recentRows = 0;
  private nextMergeAt: number;
  private mergeAsked = false;
  private lullTimer: NodeJS.Timeout | undefined;
  private appendsInWindow = 0;

  constructor(path: string, options: AuditMergeOptions) {
    this.path = path;
    this.db = new DatabaseSync(path);
    this.mergeFromRows = options.mergeFromRows;
    this.nextMergeAt = options.mergeFromRows;
    this.mergeLull = options.mergeLull;
    this.upkeep = new AuditUpkeep(path);
    this.checkpointer = new WalCheckpointer(path, 4 * 1024 ** 2);
    this.upkeep.onDone = (task, result) => {
      if (result.recentLeft !== undefined) this.recentRows = result.recentLeft;
      if (task.kind !== "merge") return;
      this.mergeAsked = false;
      // A failed merge is tried again once as many rows again have come.
      this.nextMergeAt = result.error ? this.recentRows + this.mergeFromRows : this.mergeFromRows;
    };
  }

  /** Creates the tables, takes over an audit log kept in `main` (an earlier layout), starts a merge due. */
  init(main: SqliteConnection): void {
    // No waiting for locks on this connection: the audit upkeep thread writes too, and a wait in
    // SQLite's busy handler would stop the event loop (the audit writer tries again on a timer). Its
    // checkpoints run on a thread as well: copying the WAL the upkeep thread wrote, inside a lookup's
    // commit, held the event loop 127 ms (audit retention bench, 2026-12-01); SQLite's own checkpoint
    // stays, at 32 MiB, for when that thread cannot keep up.
    this.db.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 0; PRAGMA secure_delete = ON;
       PRAGMA wal_autocheckpoint = ${Math.floor((32 * 1024 ** 2) / pageSize(this.db))};
       PRAGMA cache_size = -32768; ${SQLITE_AUDIT_SCHEMA}`,
    );
    this.takeOver(main);
    this.recentRows = Number(
      (this.db.prepare("SELECT count(*) AS n FROM audit_customers_new").get() as Row).n,
    );
    // Rows left recent by an earlier run: nobody is looking anything up yet, so no lull is awaited.
    if (this.recentRows >= this.nextMergeAt) this.startMerge();
  }

  /** Moves an audit log kept in the main database (earlier layout) into `audit.db`. */
  private takeOver(main: SqliteConnection): void {
    if (!main.has("audit")) return;
    const copy = (select: string, insert: string) => {
      const rows = main.db.prepare(select);
      rows.setReturnArrays(true);
      const put = this.db.prepare(insert);
      for (const row of rows.iterate() as Iterable<SQLInputValue[]>) put.run(...row);
    };
    immediateTransaction(this.db, () => {
      copy("SELECT id, at, subject, doc FROM audit", "INSERT OR IGNORE INTO audit VALUES (?, ?, ?, ?)");
      if (main.has("audit_customers"))
        copy(
          "SELECT audit_id, customer_id FROM audit_customers",
          "INSERT OR IGNORE INTO audit_customers (audit_id, customer_id) VALUES (?, ?)",
        );
    });
    // Only once the copy is committed: a crash in between copies again (OR IGNORE), losing nothing.
    main.tx(() => main.db.exec("DROP TABLE IF EXISTS audit_customers; DROP TABLE audit;"));
  }

  append(record: AuditRecord): Promise<void> {
    this.writer ??= new SqliteAuditWriter(
      this.db,
      (rows) => {
        // A lookup's commit adds a few pages: a pass every 200 commits (~4 MiB) keeps well below 32 MiB.
        if (++this.commits % 200 === 0) this.checkpointer.afterCommit();
        this.afterRows(rows);
      },
      (waiting) => this.upkeep.writerWaiting(waiting),
    );
    // Counted as it comes (not at its commit), so a window's lookups are all seen by its end.
    this.appendsInWindow++;
    return this.writer.append(record);
  }

  /**
   * Counts the audit customer rows appended; enough of them start a merge on the upkeep thread, in a
   * lull. A merge of 200,000 rows costs ~2-3 CPU-s (~10 µs a row, most of it SQLite's B-tree insert
   * into millions of rows), which on two cores under a burst of lookups showed as 0.2-0.4 CPU-ms a
   * request and ~10 ms more search p95 in the runs it fell in. Deferred, it is the same work, done
   * when the lookups pause; under load that never pauses it waits until 5 times as many rows are
   * recent (lookups by customer scan the recent rows meanwhile: ~23 ms per 200,000).
   */
  private afterRows(rows: number): void {
    this.recentRows += rows;
    if (this.mergeAsked || this.recentRows < this.nextMergeAt) return;
    const waitedEnough = this.nextMergeAt + (AUDIT_MERGE_WAIT_FACTOR - 1) * this.mergeFromRows;
    if (this.recentRows >= waitedEnough) this.startMerge();
    else this.awaitLull();
  }

  // Looks at the appends of the next window; few enough, and the merge starts.
  private awaitLull(): void {
    if (this.lullTimer) return;
    this.appendsInWindow = 0;
    this.lullTimer = setTimeout(() => {
      this.lullTimer = undefined;
      if (this.mergeAsked || !this.db.isOpen) return;
      if (this.appendsInWindow <= this.mergeLull.appends) this.startMerge();
      else this.awaitLull();
    }, this.mergeLull.ms);
    this.lullTimer.unref();
  }

  private startMerge(): void {
    clearTimeout(this.lullTimer);
    this.lullTimer = undefined;
    this.mergeAsked = true;
    void this.upkeep.merge();
  }

  /** Moves the recent audit customer rows into the customer index now (for tests and tools). */
  merge(): Promise<AuditTaskResult> {
    this.mergeAsked = true;
    return this.upkeep.merge();
  }

  query(query: AuditQuery): AuditRecord[] {
    const rows = prepared(
      this.db,
      this.statements,
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
  async deleteBefore(before: string): Promise<number> {
    const result = await this.upkeep.deleteBefore(before);
    if (result.error) throw new Error(`audit retention stopped: ${result.error}`);
    return result.done;
  }

  /**
   * Copies the whole WAL into `audit.db` and cuts it to nothing (see SqliteConnection.truncateWal).
   * This connection does not wait for locks: while the upkeep thread holds one, it tries again.
   */
  async truncateWal(attempts = 400): Promise<WalTruncation> {
    await this.checkpointer.checkpoint();
    let result = truncateWal(this.db, this.path);
    for (let i = 1; i < attempts && (result.busy || result.walBytes > 0); i++) {
      await new Promise((r) => setTimeout(r, 5));
      result = truncateWal(this.db, this.path);
    }
    return result;
  }

  /** Replaces an erased customer's id by a tombstone in every record, on the audit thread. */
  async replaceCustomer(from: string, to: string): Promise<number> {
    const result = await this.upkeep.replaceCustomer(from, to);
    if (result.error) throw new Error(`audit tombstone stopped: ${result.error}`);
    return result.done;
  }

  /** Stops the upkeep and checkpoint threads and closes the database. */
  async close(): Promise<void> {
    clearTimeout(this.lullTimer);
    this.lullTimer = undefined;
    await this.upkeep.close();
    await this.checkpointer.close();
    this.statements.clear();
    if (this.db.isOpen) this.db.close();
  }
}

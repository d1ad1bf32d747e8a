import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { AuditRecord } from "../domain/model.ts";
import { immediateTransaction } from "./sqlite-transaction.ts";

// At most this many records share one transaction.
const MAX_BATCH = 256;

interface Pending {
  record: AuditRecord;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** SQLite could not take the write lock (SQLITE_BUSY, or one of its extended codes). */
export function isBusy(err: unknown): boolean {
  return ((err as { errcode?: number } | null)?.errcode ?? 0) % 256 === 5;
}

/**
 * Appends audit records with group commit: records handed in during one turn of the event loop are
 * written in one transaction (a commit per lookup was ~15 % of a search request's CPU). Fail-closed:
 * each `append` resolves only after the commit holding its record, and rejects when that record could
 * not be kept; a failed batch is retried record by record, so one bad record fails only itself.
 * The connection should not wait for locks (`busy_timeout = 0`): a batch that finds the database
 * locked is tried again a millisecond later, and its records wait for that commit.
 */
export class SqliteAuditWriter {
  private readonly db: DatabaseSync;
  private queue: Pending[] = [];
  private scheduled = false;
  private insertAudit: StatementSync | undefined;
  private insertCustomer: StatementSync | undefined;
  private readonly afterCommit: (customerRows: number) => void;
  private readonly waitingForLock: (waiting: boolean) => void;
  private waiting = false;

  /**
   * `afterCommit`: told, after each commit, how many customer rows it appended. `waitingForLock`: told
   * when a batch finds the database locked, and when it has got in (another writer may make way).
   */
  constructor(
    db: DatabaseSync,
    afterCommit: (customerRows: number) => void = () => {},
    waitingForLock: (waiting: boolean) => void = () => {},
  ) {
    this.db = db;
    this.afterCommit = afterCommit;
    this.waitingForLock = waitingForLock;
  }

  /** Queues one record; resolves once it is committed, rejects if it could not be written. */
  append(record: AuditRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // After the poll phase: every request whose handler finished in this turn joins the batch.
      setImmediate(() => this.flush());
    });
  }

  // Writes what is queued now; records queued when the database has closed are rejected.
  private flush(): void {
    this.scheduled = false;
    if (!this.db.isOpen) {
      const closed = new Error("the audit database is closed");
      for (const p of this.queue.splice(0)) p.reject(closed);
      return;
    }
    // A transaction of the store is open only within a synchronous call, but never nest into one.
    if (this.db.isTransaction && this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
      return;
    }
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      let rows: number;
      try {
        rows = this.write(batch);
      } catch (err) {
        if (isBusy(err)) {
          this.retry(batch);
          return;
        }
        for (let i = 0; i < batch.length; i++)
          if (this.writeOne(batch[i]!) === "busy") {
            this.retry(batch.slice(i));
            return;
          }
        continue;
      }
      for (const p of batch) p.resolve();
      this.afterCommit(rows);
    }
  }

  /**
   * Another connection (the audit upkeep thread) holds the write lock for a few milliseconds: try again on a
   * timer rather than sleep in SQLite's busy handler, which would stop the event loop meanwhile.
   */
  private retry(batch: Pending[]): void {
    this.queue.unshift(...batch);
    if (!this.waiting) {
      this.waiting = true;
      this.waitingForLock(true);
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), 1);
  }

  private writeOne(p: Pending): "busy" | undefined {
    let rows: number;
    try {
      rows = this.write([p]);
    } catch (err) {
      if (isBusy(err)) return "busy";
      p.reject(err);
      return;
    }
    p.resolve();
    this.afterCommit(rows);
  }

  /** Writes one batch in one transaction; answers how many customer rows it appended. */
  private write(batch: Pending[]): number {
    this.insertAudit ??= this.db.prepare("INSERT INTO audit (id, at, subject, doc) VALUES (?, ?, ?, ?)");
    // Appended in lookup order; moved into the customer index in bulk later (sqlite-audit-upkeep.ts).
    this.insertCustomer ??= this.db.prepare(
      "INSERT INTO audit_customers_new (audit_id, customer_id) VALUES (?, ?)",
    );
    const { insertAudit, insertCustomer } = this;
    return immediateTransaction(this.db, () => {
      if (this.waiting) {
        this.waiting = false;
        this.waitingForLock(false);
      }
      let rows = 0;
      for (const { record } of batch) {
        insertAudit.run(record.id, record.at, record.subject, JSON.stringify(record));
        for (const c of new Set(record.customerIds)) {
          insertCustomer.run(record.id, c);
          rows++;
        }
      }
      return rows;
    });
  }
}

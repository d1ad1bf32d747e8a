import { randomUUID } from "node:crypto";
import type { DatabaseSync, StatementSync } from "node:sqlite";

/** One change another engine made to the live table: which customer, and its keys before (null: it was new). */
export interface JournalRow {
  seq: number;
  customerId: string;
  oldKeys: string | null;
}

/**
 * A registration not renewed for this long is taken for gone, whatever its pid (a pid reused by an
 * unrelated process, a copy of the file taken by a backup): engines renew theirs every HEARTBEAT_MS.
 */
export const STALE_MS = 5 * 60_000;
/** How often an open engine renews its registration. */
export const HEARTBEAT_MS = 30_000;

/** Whether a process with this id is alive on this machine (EPERM: alive, another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The change journal of `search.sqlite`, so that every embedded engine open on one file keeps its
 * in-memory index in step with what the others write (the service, and a command-line tool or a
 * second engine beside it). Each engine registers itself in `engines` while it is open and renews the
 * registration now and then. A write to the live table is journalled only while another engine is
 * registered: the customer id and its matching keys as they were (the others' in-memory index holds
 * those, and needs them to take the old version out). Rows are deleted once every registered engine
 * has seen them, so the journal is empty while one engine is alone — the usual case, which then writes
 * nothing extra — and holds seconds of changes otherwise. A registration whose process is gone, or
 * which was not renewed for STALE_MS, is forgotten by the next writer.
 */
export class ChangeJournal {
  readonly token = randomUUID();
  private readonly now: () => number;
  private readonly statements: {
    record: StatementSync;
    others: StatementSync;
    forget: StatementSync;
    register: StatementSync;
    renew: StatementSync;
    registered: StatementSync;
    trim: StatementSync;
    clear: StatementSync;
    since: StatementSync;
    max: StatementSync;
  };
  /** Whether writes of the current transaction are journalled (another engine is open). */
  private journalling = false;
  /** Whether the journal may hold rows (from when another engine was open, or left by one gone). */
  private mayHoldRows = true;

  constructor(db: DatabaseSync, now: () => number = Date.now) {
    this.now = now;
    db.exec(
      `CREATE TABLE IF NOT EXISTS engines (token TEXT PRIMARY KEY, pid INTEGER NOT NULL, seen INTEGER NOT NULL, at INTEGER NOT NULL);
       CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT NOT NULL, old_keys TEXT);`,
    );
    this.statements = {
      record: db.prepare("INSERT INTO changes (customer_id, old_keys) VALUES (?, ?)"),
      others: db.prepare("SELECT token, pid, at FROM engines WHERE token <> ?"),
      forget: db.prepare("DELETE FROM engines WHERE token = ?"),
      register: db.prepare("INSERT OR REPLACE INTO engines (token, pid, seen, at) VALUES (?, ?, ?, ?)"),
      renew: db.prepare("UPDATE engines SET seen = max(seen, ?), at = ? WHERE token = ?"),
      registered: db.prepare("SELECT 1 FROM engines WHERE token = ?"),
      trim: db.prepare("DELETE FROM changes WHERE seq <= (SELECT min(seen) FROM engines)"),
      clear: db.prepare("DELETE FROM changes"),
      since: db.prepare(
        "SELECT seq, customer_id AS customerId, old_keys AS oldKeys FROM changes WHERE seq > ? ORDER BY seq",
      ),
      // AUTOINCREMENT keeps the numbers growing when the journal empties; sqlite_sequence holds the last.
      max: db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0) AS n"),
    };
  }

  /** The newest change's number (0 when the journal is empty and always was). */
  maxSeq(): number {
    return Number((this.statements.max.get() as { n: number }).n);
  }

  /** Registers this engine as having seen every change up to `seq` (inside a write transaction). */
  register(seq: number): void {
    this.statements.register.run(this.token, process.pid, seq, this.now());
  }

  /** Whether this engine's registration is still there (another engine may have taken it for gone). */
  registered(): boolean {
    return this.statements.registered.get(this.token) !== undefined;
  }

  /** Renews the registration (inside a write transaction); false when it was gone. */
  renew(seq: number): boolean {
    return Number(this.statements.renew.run(seq, this.now(), this.token).changes) > 0;
  }

  /** Removes this engine from the register (at close). */
  unregister(): void {
    this.statements.forget.run(this.token);
  }

  /** Other engines registered and alive; those gone (process ended, or silent too long) are forgotten. */
  others(): number {
    let others = 0;
    const now = this.now();
    const rows = this.statements.others.all(this.token) as Array<{ token: string; pid: number; at: number }>;
    for (const row of rows) {
      if (alive(Number(row.pid)) && now - Number(row.at) < STALE_MS) others++;
      else this.statements.forget.run(row.token);
    }
    return others;
  }

  /**
   * Called first inside a write transaction: its writes are journalled while another engine is open;
   * alone, what the journal still holds is of use to nobody and goes.
   */
  beginWrite(): void {
    this.journalling = this.others() > 0;
    if (this.journalling) this.mayHoldRows = true;
    else if (this.mayHoldRows) {
      this.statements.clear.run();
      this.mayHoldRows = false;
    }
  }

  /** Notes a change of the live table by this engine (when another engine is open). */
  record(customerId: string, oldKeys: string | null): void {
    if (this.journalling) this.statements.record.run(customerId, oldKeys);
  }

  /**
   * Called last inside a write transaction: this engine has seen everything up to `seq`; changes every
   * registered engine has seen are deleted.
   */
  endWrite(seq: number): void {
    if (!this.journalling) return;
    this.caughtUp(seq);
  }

  /** Changes after `seq`, oldest first, or null when some of them are gone (this engine was forgotten). */
  since(seq: number): JournalRow[] | null {
    const rows = this.statements.since.all(seq) as unknown as JournalRow[];
    // Numbers are handed out one by one and never twice: a first row past seq + 1 means rows are gone.
    return rows.length === 0 || rows[0]!.seq === seq + 1 ? rows : null;
  }

  /** After catching up (inside a write transaction): seen up to `seq`, and what all have seen goes. */
  caughtUp(seq: number): void {
    if (!this.renew(seq)) this.register(seq);
    this.statements.trim.run();
  }
}

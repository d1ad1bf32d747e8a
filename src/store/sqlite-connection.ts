import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { truncateWal, type WalTruncation } from "../sqlite-wal.ts";
import { TimeSlice } from "../time-slice.ts";
import { type CheckpointResult, WalCheckpointer } from "./sqlite-checkpointer.ts";
import { immediateTransaction } from "./sqlite-transaction.ts";

/** A row as node:sqlite answers it. */
export type Row = Record<string, SQLInputValue>;
/** The JSON document in a row's `doc` column, or null without a row. */
export const parse = <T>(row: Row | undefined): T | null =>
  row ? (JSON.parse(row.doc as string) as T) : null;
/** The JSON documents in the rows' `doc` columns. */
export const parseAll = <T>(rows: Row[]): T[] => rows.map((r) => JSON.parse(r.doc as string) as T);
/** Values as one JSON array parameter (read back with `json_each`). */
export const json = (values: readonly unknown[]) => JSON.stringify(values);

/** Ids or keys per statement of a big read, so that the read can pause between statements. */
export const READ_CHUNK = 2000;
/** Rows of a table one statement of a lineage scan looks at (each ~10-50 ms at 1,000,000 rows). */
export const LINEAGE_PAGE = 10_000;

/** A statement of `db`, prepared once and kept in `cache`. */
export function prepared(db: DatabaseSync, cache: Map<string, StatementSync>, sql: string): StatementSync {
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}

/**
 * Walks a table in keyset pages: `page(after)` answers up to `size` rows after key `after` in key
 * order, `keyOf` a row's key; `each` sees every row. Pauses between pages, so searches and HTTP run
 * meanwhile and no statement holds the event loop for the whole table.
 */
export async function keysetPages<R, K>(
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

/**
 * The embedded store's main database (WAL): a writing connection with its statements prepared once,
 * the queue that lets one write run at a time, write transactions that pause for the event loop
 * every few milliseconds (src/time-slice.ts), and a second, read-only connection for reads made while
 * a write is paused half-done, so that they see committed data only.
 */
export class SqliteConnection {
  readonly path: string;
  readonly db: DatabaseSync;
  private reader: DatabaseSync | undefined;
  private readonly statements = new Map<string, StatementSync>();
  private readonly readStatements = new Map<string, StatementSync>();
  private readonly checkpointer: WalCheckpointer;
  /** Settles when the write running now (if any) is done; each write chains itself behind it. */
  private writes: Promise<void> = Promise.resolve();

  /** `walPassFromBytes`: WAL size from which the checkpoint thread copies frames after every commit. */
  constructor(path: string, walPassFromBytes: number) {
    this.path = path;
    this.db = new DatabaseSync(path);
    this.checkpointer = new WalCheckpointer(path, walPassFromBytes);
  }

  /** Sets the journal, durability, cache and checkpoint sizes of the writing connection. */
  configure(): void {
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
    // secure_delete: a deleted row's bytes, and every page freed, are overwritten with zeros, so an
    // erased person is not left behind in free space (docs/operations.md, "Erasure").
    this.db.exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;",
    );
    // 128 MiB of page cache (the default is 2 MiB): identity-key and policy-number indexes of a
    // million-row portfolio stay in memory while a delivery writes into them at random places.
    // The writer checkpoints at 512 MiB of WAL instead of SQLite's 4 MiB: a delivery batch of a
    // million-row portfolio dirties ~50 MiB of identity-key and policy-index pages, mostly the same
    // pages batch after batch, and a rare checkpoint copies each once instead of once per batch
    // (1,000,000-row delivery: commits took 38 s against 59 s at 4 MiB; ingest bench, 2-vCPU Xeon,
    // 2026-11-25). From 256 MiB on, the checkpoint thread (sqlite-checkpointer.ts) copies frames after
    // every commit, so that checkpoint finds only the last few left; the WAL then starts afresh, cut
    // back to 64 MiB.
    this.db.exec(
      `PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY;
       PRAGMA wal_autocheckpoint = ${Math.floor((512 * 1024 ** 2) / pageSize(this.db))};
       PRAGMA journal_size_limit = ${64 * 1024 ** 2};`,
    );
  }

  /** A statement on the writing connection: for writes, and for reads within a write. */
  q(sql: string): StatementSync {
    return prepared(this.db, this.statements, sql);
  }

  /**
   * A statement for a read: on the writing connection (its large page cache) unless a write
   * transaction is open there, paused; then on the reading connection, which sees committed data only.
   */
  r(sql: string): StatementSync {
    if (!this.db.isTransaction) return this.q(sql);
    if (!this.reader) {
      this.reader = new DatabaseSync(this.path);
      this.reader.exec("PRAGMA query_only = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -16384;");
    }
    return prepared(this.reader, this.readStatements, sql);
  }

  /** Runs `fn` once every write queued before it is done; writes never interleave. */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const before = this.writes;
    let release!: () => void;
    this.writes = new Promise<void>((resolve) => (release = resolve));
    return before.then(fn).finally(release);
  }

  /**
   * Runs the statements `steps` makes (one per `yield`) in one write transaction, handing the event
   * loop back every few milliseconds (TimeSlice); commits when the steps end, rolls back when one throws.
   */
  writeTx<T>(steps: () => Generator<void, T>): Promise<T> {
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

  /** Runs `fn` in one write transaction at once, without pausing (start-up migrations). */
  tx<T>(fn: () => T): T {
    return immediateTransaction(this.db, fn);
  }

  /** A read of many ids or keys, one statement per READ_CHUNK of them, pausing between long ones. */
  async chunked<I, R>(items: readonly I[], read: (chunk: readonly I[]) => Iterable<R>): Promise<R[]> {
    const out: R[] = [];
    const slice = new TimeSlice(1);
    for (let i = 0; i < items.length; i += READ_CHUNK) {
      if (slice.due()) await slice.next();
      for (const r of read(items.slice(i, i + READ_CHUNK))) out.push(r);
    }
    return out;
  }

  /** SQLite's count of changes to the file; another connection writing it changes it. */
  dataVersion(): number {
    return Number((this.q("PRAGMA data_version").get() as Row).data_version);
  }

  /** Whether the database has this table or index. */
  has(name: string): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = ?").get(name) !== undefined;
  }

  /** Checkpoints the WAL now on the checkpoint thread (for tests and tools). */
  checkpoint(): Promise<CheckpointResult> {
    return this.checkpointer.checkpoint();
  }

  /**
   * Copies the whole WAL into the database and cuts the WAL file to nothing, so that no older copy of
   * a page (a deleted row's bytes) is left in it: a pass on the checkpoint thread first copies most
   * frames off this thread, then a TRUNCATE checkpoint between two writes copies the rest.
   */
  async truncateWal(): Promise<WalTruncation> {
    await this.checkpointer.checkpoint();
    return this.exclusive(() => truncateWal(this.db, this.path));
  }

  /** Checkpoints the checkpoint thread has finished so far. */
  get checkpoints(): number {
    return this.checkpointer.completed;
  }

  /** Stops the checkpoint thread and closes both connections (call it from within `exclusive`). */
  async close(): Promise<void> {
    await this.checkpointer.close();
    this.statements.clear();
    this.readStatements.clear();
    if (this.reader?.isOpen) this.reader.close();
    if (this.db.isOpen) this.db.close();
  }
}

/** The page size of a database, in bytes. */
export function pageSize(db: DatabaseSync): number {
  return Number((db.prepare("PRAGMA page_size").get() as Row).page_size);
}

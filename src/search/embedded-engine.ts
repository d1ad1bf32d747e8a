import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { ScrubResult } from "../domain/erasure-receipt.ts";
import { AppError } from "../domain/errors.ts";
import { docProblem } from "../mappings/doc-check.ts";
import { truncateWal } from "../sqlite-wal.ts";
import type { CancelSignal } from "./customer-search.ts";
import { ChangeJournal, HEARTBEAT_MS } from "./embedded-change-journal.ts";
import { keysOf } from "./embedded-doc-fields.ts";
import { EmbeddedIndex } from "./embedded-index.ts";
import { decodeDoc, decodeKeys, encodeKeys, encodePayload } from "./embedded-keys.ts";
import type {
  BulkResult,
  CustomerDoc,
  IndexRebuild,
  RetrievalQuery,
  SearchEngine,
  ValueCount,
  ValueField,
} from "./search-engine.ts";

/** Options of the embedded engine: where it keeps `search.sqlite`. */
export interface EmbeddedEngineOptions {
  /** Directory for `search.sqlite`; `:memory:` keeps everything in memory (tests). */
  dataDir: string;
  /** Decoded documents kept for later searches (default DOC_CACHE; 0 turns the cache off). */
  docCache?: number;
}

/**
 * Decoded documents an engine keeps: a search reads and parses 60–200 candidates, and the same
 * common-surname or same-city candidates come back query after query. ~2 KB each on the heap.
 */
const DOC_CACHE = 20_000;

// Writes run synchronously; giving the event loop a turn per batch lets searches (and HTTP) in between.
const yieldToSearches = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One generation: a SQLite table holding the documents and the in-memory index built from it. Tables
 * have the `payload` layout (compact matching keys + the rest of the document as JSON, each stored
 * once) or, written by older versions, the `doc` layout (whole document as JSON, keys as JSON beside).
 */
interface Generation {
  table: string;
  compact: boolean;
  index: EmbeddedIndex;
  /**
   * Recently read documents in two halves: hits move to `cache`, and when it is full it becomes
   * `older` (the previous older half is dropped). Approximately LRU at O(1); evicting from the front
   * of one Map walked over the holes deletions leave behind. An entry goes when its document is written.
   */
  cache: Map<string, CustomerDoc>;
  older: Map<string, CustomerDoc>;
  read: StatementSync;
  readKeys: StatementSync;
  write: StatementSync;
  drop: StatementSync;
}

/** Rows of an old generation deleted per step after a rebuild (see dropInSteps). */
const DROP_STEP_ROWS = 2_000;
/** How often an idle engine looks for changes other processes made to its file. */
const CATCH_UP_MS = 1_000;
/** How long a write waits for another process's transaction on the same file. */
const BUSY_TIMEOUT_MS = 15_000;

/** SQLite page cache of the search database (KiB) and how much of the file it may map. */
const PAGE_CACHE_KIB = 32 * 1024;
const MMAP_BYTES = 4 * 2 ** 30;

/**
 * The embedded default engine: documents persisted as JSON in `DATA_DIR/search.sqlite`, inverted
 * indexes in memory, rebuilt from the table at start. A rebuild writes a fresh table and index;
 * commit swaps the live pointer in one transaction, so readers see the old or the new, never neither.
 * Another process writing the same file (a command-line tool beside the service) is noticed by
 * SQLite's `data_version` before every read and once a second: its changes are taken from the change
 * journal (embedded-change-journal.ts) into this engine's index, or, after another process's rebuild,
 * the index is loaded again from the new table.
 */
export class EmbeddedSearchEngine implements SearchEngine {
  readonly name = "embedded" as const;
  private readonly db: DatabaseSync;
  /** The database file; undefined in memory. */
  private readonly path: string | undefined;
  private live: Generation | undefined;
  private readonly cacheSize: number;
  /** Changes of other engines on the same file; none in memory. */
  private journal: ChangeJournal | undefined;
  private readonly memory: boolean;
  /** The newest journal change this engine's index reflects, and the file's data_version when it looked. */
  private lastSeq = 0;
  private seenVersion = -1;
  private readonly dataVersion: StatementSync;
  private timer: NodeJS.Timeout | undefined;
  private liveName: StatementSync | undefined;

  constructor(options: EmbeddedEngineOptions) {
    this.cacheSize = Math.max(0, options.docCache ?? DOC_CACHE);
    const memory = options.dataDir === ":memory:";
    this.memory = memory;
    if (!memory) mkdirSync(options.dataDir, { recursive: true });
    this.path = memory ? undefined : join(options.dataDir, "search.sqlite");
    this.db = new DatabaseSync(this.path ?? ":memory:");
    // A larger WAL between checkpoints: a bulk ingest then copies each page to the database less often.
    // secure_delete: a removed or replaced document's bytes, and pages freed, are overwritten with zeros.
    this.db.exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384; PRAGMA secure_delete = ON;",
    );
    // A search reads the documents of the candidates not in the document cache, one point lookup
    // each, at random: the B-tree's interior pages stay in SQLite's cache (the default 2 MB holds
    // few of them) and leaf pages are read through a memory map instead of a read call per page.
    this.db.exec(`PRAGMA cache_size = -${PAGE_CACHE_KIB}; PRAGMA mmap_size = ${MMAP_BYTES};`);
    this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.dataVersion = this.db.prepare("PRAGMA data_version");
  }

  async init(): Promise<void> {
    if (this.live) return;
    this.db.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    const journal = this.memory ? undefined : new ChangeJournal(this.db);
    let table = "docs_1";
    this.transaction(() => {
      const row = this.db.prepare("SELECT value FROM meta WHERE key = 'live'").get() as
        | { value: string }
        | undefined;
      table = row?.value ?? table;
      this.openGeneration(table);
      if (!row) this.db.prepare("INSERT INTO meta (key, value) VALUES ('live', ?)").run(table);
      // Leftovers of a rebuild that never committed (a crash mid-rebuild) are dropped, unless another
      // engine is open on the file (the table may be its rebuild in progress).
      if (!journal || journal.others() === 0)
        for (const t of this.tables()) if (t !== table) this.db.exec(`DROP TABLE ${t}`);
      // From here on the others journal their writes for this engine.
      journal?.register(journal.maxSeq());
    });
    this.journal = journal;
    // The index as one snapshot shows it, with the journal's position in the same snapshot.
    this.db.exec("BEGIN");
    try {
      this.live = this.load(this.metaLive());
      this.lastSeq = journal?.maxSeq() ?? 0;
      this.seenVersion = this.version();
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
    if (journal) {
      let renewed = Date.now();
      this.timer = setInterval(() => {
        this.catchUpQuietly();
        if (Date.now() - renewed < HEARTBEAT_MS) return;
        renewed = Date.now();
        this.renewQuietly();
      }, CATCH_UP_MS);
      this.timer.unref();
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.db.isOpen) {
      try {
        if (this.journal) this.transaction(() => this.journal!.unregister());
      } catch {
        // A registration left behind is forgotten by the others once it goes silent.
      }
      this.db.close();
    }
    this.live = undefined;
  }

  async ping(): Promise<void> {
    this.current();
  }

  async upsert(docs: readonly CustomerDoc[]): Promise<BulkResult> {
    await yieldToSearches();
    this.current();
    return this.write(undefined, docs);
  }

  async remove(customerIds: readonly string[]): Promise<void> {
    this.current();
    this.liveWrite((gen, journal) => {
      for (const id of customerIds) {
        const old = this.readKeysText(gen, id);
        if (old === null) continue;
        journal?.record(id, old);
        gen.drop.run(id);
        gen.cache.delete(id);
        gen.older.delete(id);
        gen.index.remove(decodeKeys(id, old));
      }
    });
  }

  async get(customerId: string): Promise<CustomerDoc | null> {
    return this.read(this.fresh(), customerId);
  }

  async count(): Promise<number> {
    return this.fresh().index.size;
  }

  async topValues(field: ValueField, size: number): Promise<ValueCount[]> {
    return this.fresh().index.topValues(field, size);
  }

  async retrieve(query: RetrievalQuery, options?: { signal?: CancelSignal }): Promise<CustomerDoc[]> {
    options?.signal?.throwIfAborted();
    const gen = this.fresh();
    const out: CustomerDoc[] = [];
    const half = Math.ceil(this.cacheSize / 2);
    for (const id of gen.index.retrieve(query)) {
      let doc = gen.cache.get(id);
      if (doc) {
        out.push(doc);
        continue;
      }
      doc = gen.older.get(id) ?? this.read(gen, id) ?? undefined;
      if (!doc) continue;
      out.push(doc);
      if (half === 0) continue;
      if (gen.cache.size >= half) {
        gen.older = gen.cache;
        gen.cache = new Map();
      }
      gen.cache.set(id, doc);
    }
    return out;
  }

  async refresh(): Promise<void> {
    // Writes are visible as soon as upsert returns.
  }

  /**
   * Removed and replaced documents were zeroed where they lay (secure_delete); older copies of their
   * pages are left in the WAL only, which is copied into the database whole and cut to nothing.
   */
  async expungeDeleted(): Promise<ScrubResult> {
    this.current();
    const method = "secure_delete=ON; wal_checkpoint(TRUNCATE) of search.sqlite";
    if (!this.path) return { method, ok: true, details: { inMemory: true } };
    const result = truncateWal(this.db, this.path);
    return {
      method,
      ok: !result.busy && result.walBytes === 0,
      details: { walBytes: result.walBytes, freelistPages: result.freelistPages },
    };
  }

  async beginRebuild(): Promise<IndexRebuild> {
    const old = this.current();
    const number = Math.max(0, ...this.tables().map((t) => Number(t.slice(5)))) + 1;
    const gen = this.openGeneration(`docs_${number}`);
    let open = true;
    const guard = () => {
      if (!open) throw new AppError("CONFLICT", "this rebuild was already committed or aborted");
    };
    return {
      upsert: async (docs) => {
        guard();
        await yieldToSearches();
        return this.write(gen, docs);
      },
      commit: async () => {
        guard();
        open = false;
        gen.index.seal();
        this.transaction(() => {
          this.db.prepare("UPDATE meta SET value = ? WHERE key = 'live'").run(gen.table);
        });
        this.live = gen;
        await this.dropInSteps(old.table);
      },
      abort: async () => {
        guard();
        open = false;
        this.db.exec(`DROP TABLE IF EXISTS ${gen.table}`);
      },
    };
  }

  /**
   * Drops a table that is no longer live a few thousand rows at a time, searches running in between:
   * with secure_delete every page freed is zeroed, and one DROP of a 200,000-document generation held
   * the search thread 1.7 s where it took 0.2 s without (2-vCPU AMD EPYC under load, 2026-12-07). A
   * table left half-deleted by a crash is dropped at the next start (init).
   */
  private async dropInSteps(table: string): Promise<void> {
    const step = this.db.prepare(
      `DELETE FROM ${table} WHERE customerId IN (SELECT customerId FROM ${table} LIMIT ${DROP_STEP_ROWS})`,
    );
    while (this.db.isOpen) {
      let deleted = 0;
      this.transaction(() => {
        deleted = Number(step.run().changes);
      });
      if (deleted < DROP_STEP_ROWS) break;
      await yieldToSearches();
    }
    if (this.db.isOpen) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  private current(): Generation {
    if (!this.live || !this.db.isOpen)
      throw new AppError("ENGINE_UNAVAILABLE", "embedded search engine is not initialised or closed");
    return this.live;
  }

  /** The live generation, with what other processes wrote to the file since the last look taken in. */
  private fresh(): Generation {
    this.current();
    this.catchUpQuietly();
    return this.current();
  }

  private version(): number {
    return Number((this.dataVersion.get() as { data_version: number }).data_version);
  }

  private metaLive(): string {
    this.liveName ??= this.db.prepare("SELECT value FROM meta WHERE key = 'live'");
    return (this.liveName.get() as { value: string }).value;
  }

  /**
   * Takes other processes' writes in when the file changed since the last look. A file another
   * process holds locked longer than the busy timeout is looked at again later; the index answers
   * as it stands meanwhile.
   */
  private catchUpQuietly(): void {
    if (!this.journal || !this.live || !this.db.isOpen || this.version() === this.seenVersion) return;
    try {
      this.transaction(() => this.catchUp());
    } catch (err) {
      if (!/locked|busy/i.test((err as Error).message)) throw err;
    }
  }

  /** Renews this engine's registration, so the others keep journalling for it (see ChangeJournal). */
  private renewQuietly(): void {
    if (!this.journal || !this.live || !this.db.isOpen) return;
    try {
      this.transaction(() => {
        if (!this.journal!.renew(this.lastSeq)) this.catchUp();
      });
    } catch (err) {
      if (!/locked|busy/i.test((err as Error).message)) throw err;
    }
  }

  /**
   * Inside a write transaction: applies the journal's changes after `lastSeq` to the in-memory index
   * (each changed customer's old keys out, its current keys in), or loads the index again when another
   * process swapped in a rebuilt table or the journal lost rows this engine had not seen.
   */
  private catchUp(): void {
    const journal = this.journal;
    const gen = this.live;
    if (!journal || !gen) return;
    this.seenVersion = this.version();
    const table = this.metaLive();
    const reload = () => {
      this.live = this.load(table);
      this.lastSeq = journal.maxSeq();
      journal.caughtUp(this.lastSeq);
    };
    // Taken for gone by another engine (silent too long): what was written meanwhile is not journalled.
    const rows = table === gen.table && journal.registered() ? journal.since(this.lastSeq) : null;
    if (rows === null) {
      reload();
      return;
    }
    if (rows.length === 0) return;
    // A customer changed several times: its first change's old keys are what this index holds.
    const before = new Map<string, string | null>();
    for (const r of rows) if (!before.has(r.customerId)) before.set(r.customerId, r.oldKeys);
    // This index holding a customer the other process did not is a disagreement: start from the table.
    for (const [id, old] of before)
      if (old === null && gen.index.has(id)) {
        reload();
        return;
      }
    for (const [id, old] of before) {
      const held = gen.index.has(id);
      const previous = held && old !== null ? decodeKeys(id, old) : null;
      const current = this.readKeysText(gen, id);
      gen.cache.delete(id);
      gen.older.delete(id);
      if (current !== null) gen.index.add(decodeKeys(id, current), previous);
      else if (previous) gen.index.remove(previous);
    }
    this.lastSeq = rows[rows.length - 1]!.seq;
    journal.caughtUp(this.lastSeq);
  }

  /**
   * Runs a write of the live table in one transaction, after taking in what other processes wrote;
   * the journal records the writes while another engine is open on the file.
   */
  private liveWrite<T>(fn: (gen: Generation, journal: ChangeJournal | undefined) => T): T {
    let out: T | undefined;
    let seq = this.lastSeq;
    this.transaction(() => {
      if (this.version() !== this.seenVersion) this.catchUp();
      const gen = this.current();
      this.journal?.beginWrite();
      out = fn(gen, this.journal);
      seq = this.journal?.maxSeq() ?? 0;
      this.journal?.endWrite(seq);
    });
    this.lastSeq = seq;
    return out as T;
  }

  private tables(): string[] {
    const rows = this.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'docs_[0-9]*'")
      .all() as Array<{ name: string }>;
    return rows.map((r) => r.name);
  }

  private openGeneration(table: string): Generation {
    // Rows stay under SQLite's in-page limit for WITHOUT ROWID tables (~1 KB), so no overflow pages.
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (customerId TEXT PRIMARY KEY, keys TEXT NOT NULL, payload TEXT NOT NULL) WITHOUT ROWID`,
    );
    const columns = this.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
    const compact = columns.some((c) => c.name === "payload");
    // Tables written before the keys column existed still load (from the full document).
    if (!compact && !columns.some((c) => c.name === "keys"))
      this.db.exec(`ALTER TABLE ${table} ADD COLUMN keys TEXT`);
    const prepare = (sql: string) => {
      const statement = this.db.prepare(sql);
      statement.setReturnArrays(true);
      return statement;
    };
    return {
      table,
      compact,
      index: new EmbeddedIndex(),
      cache: new Map(),
      older: new Map(),
      read: prepare(`SELECT ${compact ? "keys, payload" : "doc"} FROM ${table} WHERE customerId = ?`),
      readKeys: prepare(
        `SELECT ${compact ? "keys" : "coalesce(keys, doc)"} FROM ${table} WHERE customerId = ?`,
      ),
      write: this.db.prepare(
        `INSERT OR REPLACE INTO ${table} (customerId, keys, ${compact ? "payload" : "doc"}) VALUES (?, ?, ?)`,
      ),
      drop: this.db.prepare(`DELETE FROM ${table} WHERE customerId = ?`),
    };
  }

  /** A generation with its index loaded from its table (only the matching keys are read). */
  private load(table: string): Generation {
    const gen = this.openGeneration(table);
    const all = this.db.prepare(
      `SELECT customerId, ${gen.compact ? "keys" : "coalesce(keys, doc)"} FROM ${table}`,
    );
    all.setReturnArrays(true);
    const rows = all.iterate() as Iterable<[string, string]>;
    for (const [id, keys] of rows) gen.index.add(decodeKeys(id, keys));
    gen.index.seal();
    return gen;
  }

  /** A document's stored matching keys as text, or null when it is not in the table. */
  private readKeysText(gen: Generation, customerId: string): string | null {
    const row = gen.readKeys.get(customerId) as [string] | undefined;
    return row ? row[0] : null;
  }

  private read(gen: Generation, customerId: string): CustomerDoc | null {
    const row = gen.read.get(customerId) as [string, string] | [string] | undefined;
    if (!row) return null;
    return gen.compact ? decodeDoc(customerId, row[0], row[1]!) : (JSON.parse(row[0]) as CustomerDoc);
  }

  /** Writes documents into `rebuilding`, or when undefined into the live generation (journalled). */
  private write(rebuilding: Generation | undefined, docs: readonly CustomerDoc[]): BulkResult {
    const rejected: BulkResult["rejected"] = [];
    let written = 0;
    const run = (gen: Generation, journal: ChangeJournal | undefined) => {
      for (const doc of docs) {
        const problem = docProblem(doc);
        if (problem) {
          rejected.push({ customerId: String(doc.customerId), reason: problem });
          continue;
        }
        const old = gen.index.has(doc.customerId) ? this.readKeysText(gen, doc.customerId) : null;
        journal?.record(doc.customerId, old);
        gen.cache.delete(doc.customerId);
        gen.older.delete(doc.customerId);
        if (gen.compact) gen.write.run(doc.customerId, encodeKeys(doc), encodePayload(doc));
        else gen.write.run(doc.customerId, JSON.stringify(keysOf(doc)), JSON.stringify(doc));
        gen.index.add(doc, old === null ? null : decodeKeys(doc.customerId, old));
        written++;
      }
    };
    if (rebuilding) this.transaction(() => run(rebuilding, undefined));
    else this.liveWrite(run);
    return { written, rejected };
  }

  // IMMEDIATE: the write lock is taken at the start, so what is read first (the journal, a
  // document's keys) stays as read until the commit, whatever another process on the file does.
  private transaction(fn: () => void): void {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      fn();
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
  }
}

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { AppError } from "../domain/errors.ts";
import { docProblem } from "../mappings/doc-check.ts";
import { EmbeddedIndex, type IndexedKeys, keysOf } from "./embedded-index.ts";
import type { BulkResult, CustomerDoc, IndexRebuild, RetrievalQuery, SearchEngine } from "./search-engine.ts";

/** Options of the embedded engine: where it keeps `search.sqlite`. */
export interface EmbeddedEngineOptions {
  /** Directory for `search.sqlite`; `:memory:` keeps everything in memory (tests). */
  dataDir: string;
}

// Writes run synchronously; giving the event loop a turn per batch lets searches (and HTTP) in between.
const yieldToSearches = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One generation: a SQLite table holding the documents as JSON and the in-memory index built from it. */
interface Generation {
  table: string;
  index: EmbeddedIndex;
  read: StatementSync;
  readKeys: StatementSync;
  write: StatementSync;
  drop: StatementSync;
}

/**
 * The embedded default engine: documents persisted as JSON in `DATA_DIR/search.sqlite`, inverted
 * indexes in memory, rebuilt from the table at start. A rebuild writes a fresh table and index;
 * commit swaps the live pointer in one transaction, so readers see the old or the new, never neither.
 */
export class EmbeddedSearchEngine implements SearchEngine {
  readonly name = "embedded" as const;
  private readonly db: DatabaseSync;
  private live: Generation | undefined;

  constructor(options: EmbeddedEngineOptions) {
    const memory = options.dataDir === ":memory:";
    if (!memory) mkdirSync(options.dataDir, { recursive: true });
    this.db = new DatabaseSync(memory ? ":memory:" : join(options.dataDir, "search.sqlite"));
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  }

  async init(): Promise<void> {
    if (this.live) return;
    this.db.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'live'").get() as
      | { value: string }
      | undefined;
    const table = row?.value ?? "docs_1";
    const gen = this.openGeneration(table);
    if (!row) this.db.prepare("INSERT INTO meta (key, value) VALUES ('live', ?)").run(table);
    // Leftovers of a rebuild that never committed (a crash mid-rebuild) are dropped.
    for (const t of this.tables()) if (t !== table) this.db.exec(`DROP TABLE ${t}`);
    // Only the matching keys are parsed at start; the display payload stays on disk until a result needs it.
    const rows = this.db.prepare(`SELECT keys, doc FROM ${table}`).iterate() as Iterable<{
      keys: string | null;
      doc: string;
    }>;
    for (const r of rows) gen.index.add(JSON.parse(r.keys ?? r.doc) as IndexedKeys);
    gen.index.seal();
    this.live = gen;
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
    this.live = undefined;
  }

  async ping(): Promise<void> {
    this.current();
  }

  async upsert(docs: readonly CustomerDoc[]): Promise<BulkResult> {
    await yieldToSearches();
    return this.write(this.current(), docs);
  }

  async remove(customerIds: readonly string[]): Promise<void> {
    const gen = this.current();
    this.transaction(() => {
      for (const id of customerIds) {
        const old = this.readKeys(gen, id);
        if (!old) continue;
        gen.drop.run(id);
        gen.index.remove(old);
      }
    });
  }

  async get(customerId: string): Promise<CustomerDoc | null> {
    return this.read(this.current(), customerId);
  }

  async count(): Promise<number> {
    return this.current().index.size;
  }

  async retrieve(query: RetrievalQuery): Promise<CustomerDoc[]> {
    const gen = this.current();
    const out: CustomerDoc[] = [];
    for (const id of gen.index.retrieve(query)) {
      const doc = this.read(gen, id);
      if (doc) out.push(doc);
    }
    return out;
  }

  async refresh(): Promise<void> {
    // Writes are visible as soon as upsert returns.
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
          this.db.exec(`DROP TABLE ${old.table}`);
        });
        this.live = gen;
      },
      abort: async () => {
        guard();
        open = false;
        this.db.exec(`DROP TABLE IF EXISTS ${gen.table}`);
      },
    };
  }

  private current(): Generation {
    if (!this.live || !this.db.isOpen)
      throw new AppError("ENGINE_UNAVAILABLE", "embedded search engine is not initialised or closed");
    return this.live;
  }

  private tables(): string[] {
    const rows = this.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'docs_[0-9]*'")
      .all() as Array<{ name: string }>;
    return rows.map((r) => r.name);
  }

  private openGeneration(table: string): Generation {
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (customerId TEXT PRIMARY KEY, keys TEXT, doc TEXT NOT NULL) WITHOUT ROWID`,
    );
    const columns = this.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
    // Tables written before the keys column existed still load (from the full document).
    if (!columns.some((c) => c.name === "keys")) this.db.exec(`ALTER TABLE ${table} ADD COLUMN keys TEXT`);
    return {
      table,
      index: new EmbeddedIndex(),
      read: this.db.prepare(`SELECT doc FROM ${table} WHERE customerId = ?`),
      readKeys: this.db.prepare(`SELECT coalesce(keys, doc) AS k FROM ${table} WHERE customerId = ?`),
      write: this.db.prepare(`INSERT OR REPLACE INTO ${table} (customerId, keys, doc) VALUES (?, ?, ?)`),
      drop: this.db.prepare(`DELETE FROM ${table} WHERE customerId = ?`),
    };
  }

  private readKeys(gen: Generation, customerId: string): IndexedKeys | null {
    const row = gen.readKeys.get(customerId) as { k: string } | undefined;
    return row ? (JSON.parse(row.k) as IndexedKeys) : null;
  }

  private read(gen: Generation, customerId: string): CustomerDoc | null {
    const row = gen.read.get(customerId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as CustomerDoc) : null;
  }

  private write(gen: Generation, docs: readonly CustomerDoc[]): BulkResult {
    const rejected: BulkResult["rejected"] = [];
    let written = 0;
    this.transaction(() => {
      for (const doc of docs) {
        const problem = docProblem(doc);
        if (problem) {
          rejected.push({ customerId: String(doc.customerId), reason: problem });
          continue;
        }
        const previous = gen.index.has(doc.customerId) ? this.readKeys(gen, doc.customerId) : null;
        gen.write.run(doc.customerId, JSON.stringify(keysOf(doc)), JSON.stringify(doc));
        gen.index.add(doc, previous);
        written++;
      }
    });
    return { written, rejected };
  }

  private transaction(fn: () => void): void {
    this.db.exec("BEGIN");
    try {
      fn();
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
  }
}

import type { SQLInputValue, StatementSync } from "node:sqlite";
import type { Partner } from "../domain/partner.ts";
import type { PartnerStore } from "./partner-store.ts";

type Row = Record<string, SQLInputValue>;

/** The partner registry's table; created on every start, harmless when it exists. */
export const SQLITE_PARTNERS_SCHEMA = `
CREATE TABLE IF NOT EXISTS partners (id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT;
`;

/** What the registry borrows from the SqliteStore: its statements and its one-writer-at-a-time queue. */
export interface SqliteAccess {
  /** A statement for a write (on the writing connection). */
  write(sql: string): StatementSync;
  /** A statement for a read (committed data only while a delivery batch is paused half-way). */
  read(sql: string): StatementSync;
  /** Runs `fn` once the writes queued before it are done. */
  exclusive<T>(fn: () => T): Promise<T>;
  /** Runs SQL on the writing connection outside any transaction (schema). */
  exec(sql: string): void;
}

/** The partner registry in the embedded store: one row per partner, the record as JSON. */
export class SqlitePartners implements PartnerStore {
  private readonly s: SqliteAccess;
  constructor(access: SqliteAccess) {
    this.s = access;
  }

  init(): void {
    this.s.exec(SQLITE_PARTNERS_SCHEMA);
  }

  put(partner: Partner): Promise<void> {
    return this.s.exclusive(() => {
      this.s
        .write(
          "INSERT INTO partners (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
        )
        .run(partner.id, JSON.stringify(partner));
    });
  }

  async get(id: string): Promise<Partner | null> {
    const row = this.s.read("SELECT doc FROM partners WHERE id = ?").get(id) as Row | undefined;
    return row ? (JSON.parse(row.doc as string) as Partner) : null;
  }

  async list(): Promise<Partner[]> {
    const rows = this.s.read("SELECT doc FROM partners ORDER BY id").all() as Row[];
    return rows.map((r) => JSON.parse(r.doc as string) as Partner);
  }

  async heldPartnerIds(): Promise<string[]> {
    // Policies have no partner index, so this scans them (~1 s at 1,000,000): it runs once, when an
    // existing store first gets a registry (see registerHeldPartners).
    const ids = new Set<string>();
    for (const r of this.s.read("SELECT DISTINCT partner FROM deliveries").all() as Row[])
      ids.add(r.partner as string);
    for (const r of this.s.read("SELECT DISTINCT partner FROM policies").all() as Row[])
      ids.add(r.partner as string);
    return [...ids].sort();
  }

  async customerIdsOf(partner: string): Promise<string[]> {
    const rows = this.s
      .read("SELECT DISTINCT customer_id FROM policies WHERE partner = ? ORDER BY customer_id")
      .all(partner) as Row[];
    return rows.map((r) => r.customer_id as string);
  }
}

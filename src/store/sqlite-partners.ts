import type { Partner } from "../domain/partner.ts";
import type { PartnerStore } from "./partner-store.ts";
import { parse, parseAll, type Row, type SqliteConnection } from "./sqlite-connection.ts";

/** The partner registry's table; created on every start, harmless when it exists. */
export const SQLITE_PARTNERS_SCHEMA = `
CREATE TABLE IF NOT EXISTS partners (id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT;
`;

/** The partner registry in the embedded store (`partners`): one row per partner, the record as JSON. */
export class SqlitePartners implements PartnerStore {
  private readonly main: SqliteConnection;

  constructor(main: SqliteConnection) {
    this.main = main;
  }

  init(): void {
    this.main.db.exec(SQLITE_PARTNERS_SCHEMA);
  }

  put(partner: Partner): Promise<void> {
    return this.main.exclusive(() => {
      this.main
        .q("INSERT INTO partners (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc")
        .run(partner.id, JSON.stringify(partner));
    });
  }

  async get(id: string): Promise<Partner | null> {
    return parse<Partner>(this.main.r("SELECT doc FROM partners WHERE id = ?").get(id) as Row | undefined);
  }

  async list(): Promise<Partner[]> {
    return parseAll<Partner>(this.main.r("SELECT doc FROM partners ORDER BY id").all() as Row[]);
  }

  async heldPartnerIds(): Promise<string[]> {
    // Policies have no partner index, so this scans them (~1 s at 1,000,000): it runs once, when an
    // existing store first gets a registry (see registerHeldPartners).
    const ids = new Set<string>();
    for (const table of ["deliveries", "policies"])
      for (const r of this.main.r(`SELECT DISTINCT partner FROM ${table}`).all() as Row[])
        ids.add(r.partner as string);
    return [...ids].sort();
  }

  async customerIdsOf(partner: string): Promise<string[]> {
    const rows = this.main
      .r("SELECT DISTINCT customer_id FROM policies WHERE partner = ? ORDER BY customer_id")
      .all(partner) as Row[];
    return rows.map((r) => r.customer_id as string);
  }
}

import { notFound } from "../domain/errors.ts";
import type { Delivery } from "../domain/model.ts";
import { json, parse, parseAll, type Row, type SqliteConnection } from "./sqlite-connection.ts";
import type { DeliveryFilter, DeliveryPageQuery } from "./store.ts";

/** Deliveries of the embedded store (`deliveries`); their files live under DATA_DIR/files (file-dir.ts). */
export class SqliteDeliveries {
  private readonly main: SqliteConnection;

  constructor(main: SqliteConnection) {
    this.main = main;
  }

  insert(d: Delivery): Promise<void> {
    return this.main.exclusive(() => this.write(d));
  }

  update(id: string, patch: Partial<Omit<Delivery, "id">>): Promise<void> {
    return this.main.exclusive(() => {
      const current = this.get(id);
      if (!current) throw notFound(`delivery ${id}`);
      this.write({ ...current, ...patch, id });
    });
  }

  get(id: string): Delivery | null {
    return parse<Delivery>(this.main.r("SELECT doc FROM deliveries WHERE id = ?").get(id) as Row | undefined);
  }

  page(q: DeliveryPageQuery): Delivery[] {
    const rows = this.main
      .r(
        `SELECT doc FROM deliveries WHERE (?1 IS NULL OR partner = ?1)
       AND (?2 IS NULL OR status IN (SELECT value FROM json_each(?2)))
       AND (?3 IS NULL OR received_at >= ?3) AND (?4 IS NULL OR received_at < ?4)
       AND (?5 IS NULL OR received_at < ?5 OR (received_at = ?5 AND id < ?6))
       ORDER BY received_at DESC, id DESC LIMIT ?7`,
      )
      .all(
        q.partner ?? null,
        q.status ? JSON.stringify(q.status) : null,
        q.from ?? null,
        q.to ?? null,
        q.before?.receivedAt ?? null,
        q.before?.id ?? null,
        q.limit,
      ) as Row[];
    return parseAll<Delivery>(rows);
  }

  findBySha256(partner: string, sha256: string): Delivery | null {
    const row = this.main
      .r(
        `SELECT doc FROM deliveries WHERE partner = ? AND sha256 = ? AND duplicate_of IS NULL AND status <> 'failed'
       ORDER BY received_at, id LIMIT 1`,
      )
      .get(partner, sha256) as Row | undefined;
    return parse<Delivery>(row);
  }

  list(filter: DeliveryFilter): Delivery[] {
    const rows = this.main
      .r(
        `SELECT doc FROM deliveries WHERE (?1 IS NULL OR received_at < ?1) AND (?2 IS NULL OR partner = ?2)
       AND (?3 IS NULL OR status IN (SELECT value FROM json_each(?3)))
       ORDER BY received_at, id`,
      )
      .all(
        filter.receivedBefore ?? null,
        filter.partner ?? null,
        filter.status ? json(filter.status) : null,
      ) as Row[];
    return parseAll<Delivery>(rows);
  }

  /** The query retention is checked with, and how many deliveries it finds before `cutoff`. */
  countBefore(cutoff: string): { query: string; found: number } {
    const query = "SELECT count(*) AS n FROM deliveries WHERE received_at < ?";
    return {
      query: query.replace("?", `'${cutoff}'`),
      found: Number((this.main.r(query).get(cutoff) as Row).n),
    };
  }

  delete(id: string): Promise<void> {
    return this.main.exclusive(() => {
      this.main.q("DELETE FROM deliveries WHERE id = ?").run(id);
    });
  }

  private write(d: Delivery): void {
    this.main
      .q(
        `INSERT INTO deliveries (id, partner, sha256, status, received_at, duplicate_of, doc) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET partner=excluded.partner, sha256=excluded.sha256, status=excluded.status,
       received_at=excluded.received_at, duplicate_of=excluded.duplicate_of, doc=excluded.doc`,
      )
      .run(d.id, d.partner, d.sha256, d.status, d.receivedAt, d.duplicateOf ?? null, JSON.stringify(d));
  }
}

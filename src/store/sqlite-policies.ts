import type { Policy } from "../domain/model.ts";
import { TimeSlice } from "../time-slice.ts";
import {
  json,
  keysetPages,
  LINEAGE_PAGE,
  parseAll,
  type Row,
  type SqliteConnection,
} from "./sqlite-connection.ts";
import type { SqliteKeyFilters } from "./sqlite-key-filters.ts";
import type { PolicyKey } from "./store.ts";

/** Policy numbers per statement when all of a partner's are read (the end of a full delivery). */
const POLICY_NUMBER_PAGE = 20_000;

/** Policies of the embedded store (`policies`), unique by (policy_number, partner). */
export class SqlitePolicies {
  private readonly main: SqliteConnection;
  private readonly filters: SqliteKeyFilters;

  constructor(main: SqliteConnection, filters: SqliteKeyFilters) {
    this.main = main;
    this.filters = filters;
  }

  async get(keys: readonly PolicyKey[]): Promise<Policy[]> {
    const filter = (await this.filters.for(keys.length))?.policies;
    const wanted = filter
      ? keys.filter((k) => filter.mightHold(this.filters.policyHash(k.partner, k.policyNumber)))
      : keys;
    return this.main.chunked(wanted, (chunk) =>
      parseAll<Policy>(
        this.main
          .r(
            `SELECT p.doc FROM json_each(?) k CROSS JOIN policies p
           ON p.policy_number = json_extract(k.value, '$[1]') AND p.partner = json_extract(k.value, '$[0]')`,
          )
          .all(json(chunk.map((k) => [k.partner, k.policyNumber]))) as Row[],
      ),
    );
  }

  async put(policies: readonly Policy[]): Promise<void> {
    if (policies.length === 0) return;
    // A policy that keeps its holder (nearly every one a re-delivery writes) gets its document only:
    // SQLite rewrites an index entry whenever its column is assigned, even to the same value, and
    // assigning customer_id cost ~4 µs more a policy (200,000 stored policies: 2.35-2.46 s against
    // 1.56-1.57 s). A policy passing to another customer changes nothing there and is updated next.
    const upsert = this.main.q(
      `INSERT INTO policies (partner, policy_number, customer_id, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (policy_number, partner) DO UPDATE SET doc = excluded.doc
       WHERE policies.customer_id = excluded.customer_id`,
    );
    const move = this.main.q(
      "UPDATE policies SET customer_id = ?, doc = ? WHERE policy_number = ? AND partner = ?",
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
    const filters = this.filters;
    await this.main.writeTx(function* () {
      const filter = filters.policies;
      for (const p of ordered) {
        const doc = JSON.stringify(p);
        if (upsert.run(p.partner, p.policyNumber, p.customerId, doc).changes === 0)
          move.run(p.customerId, doc, p.policyNumber, p.partner);
        filter?.add(filters.policyHash(p.partner, p.policyNumber));
        yield;
      }
    });
  }

  async delete(keys: readonly PolicyKey[]): Promise<void> {
    if (keys.length === 0) return;
    const drop = this.main.q("DELETE FROM policies WHERE policy_number = ? AND partner = ?");
    await this.main.writeTx(function* () {
      for (const k of keys) {
        drop.run(k.policyNumber, k.partner);
        yield;
      }
    });
  }

  /** Policies of these customers; an aborted `signal` stops the read between its statements. */
  ofCustomers(customerIds: readonly string[], signal?: AbortSignal): Promise<Policy[]> {
    // Sorted first, so that the chunks' answers, one after another, keep the order below.
    const sorted = [...new Set(customerIds)].sort();
    return this.main.chunked(sorted, (chunk) => {
      signal?.throwIfAborted();
      return parseAll<Policy>(
        this.main
          .r(
            `SELECT doc FROM policies WHERE customer_id IN (SELECT value FROM json_each(?))
           ORDER BY customer_id, partner, policy_number`,
          )
          .all(json(chunk)) as Row[],
      );
    });
  }

  byNumber(policyNumber: string): Policy[] {
    const rows = this.main
      .r("SELECT doc FROM policies WHERE policy_number = ? ORDER BY partner")
      .all(policyNumber) as Row[];
    return parseAll<Policy>(rows);
  }

  async numbersOfPartner(partner: string): Promise<string[]> {
    // Walks the covering (policy_number, partner) index POLICY_NUMBER_PAGE numbers a statement, as
    // arrays instead of row objects (1,000,000 numbers: ~0.5-0.6 s against ~1.7 s one row object at a
    // time, which also held the event loop the whole while), pausing between pages.
    const numbers: string[] = [];
    // The first page has no lower bound (a policy number may in principle be empty).
    const page = (after: string | undefined) => {
      const statement = this.main.r(
        `SELECT policy_number FROM policies WHERE partner = ?1 ${after === undefined ? "" : "AND policy_number > ?3"}
         ORDER BY policy_number LIMIT ?2`,
      );
      statement.setReturnArrays(true);
      const args = after === undefined ? [partner, POLICY_NUMBER_PAGE] : [partner, POLICY_NUMBER_PAGE, after];
      return statement.all(...args) as unknown as Array<[string]>;
    };
    await keysetPages<[string], string | undefined>(
      undefined,
      POLICY_NUMBER_PAGE,
      page,
      ([n]) => n,
      ([n]) => numbers.push(n),
    );
    return numbers;
  }

  async keysByDelivery(deliveryId: string): Promise<PolicyKey[]> {
    // As customer lineage (sqlite-customers.ts): keys only, LINEAGE_PAGE rows of the table per
    // statement (14 s and 3.7 GB for a 1,000,000-row delivery when whole documents were parsed), in
    // table order.
    const page = () =>
      this.main.r(
        `SELECT partner, policy_number FROM policies WHERE rowid > ?3 AND rowid <= ?3 + ?4
         AND instr(doc, ?1) > 0 AND EXISTS (SELECT 1 FROM json_each(doc, '$.deliveryIds') WHERE value = ?2)`,
      );
    const last = Number((this.main.r("SELECT max(rowid) AS n FROM policies").get() as Row).n ?? 0);
    const keys: PolicyKey[] = [];
    const slice = new TimeSlice(1);
    for (let after = 0; after < last; after += LINEAGE_PAGE) {
      if (slice.due()) await slice.next();
      for (const r of page().all(JSON.stringify(deliveryId), deliveryId, after, LINEAGE_PAGE) as Row[])
        keys.push({ partner: r.partner as string, policyNumber: r.policy_number as string });
    }
    return keys;
  }
}

import type { Customer } from "../domain/model.ts";
import { compactId } from "./compact-id.ts";
import {
  json,
  keysetPages,
  LINEAGE_PAGE,
  parse,
  parseAll,
  type Row,
  type SqliteConnection,
} from "./sqlite-connection.ts";
import { hashOrder, type SqliteIdentityKeys } from "./sqlite-identity-keys.ts";
import type { SqliteKeyFilters } from "./sqlite-key-filters.ts";
import type { MatchedCustomers } from "./store.ts";

/**
 * Customers of the embedded store: their documents (`customers`), kept in step with the
 * identity-key lookup (sqlite-identity-keys.ts) on every write.
 */
export class SqliteCustomers {
  private readonly main: SqliteConnection;
  private readonly keys: SqliteIdentityKeys;
  private readonly filters: SqliteKeyFilters;

  constructor(main: SqliteConnection, keys: SqliteIdentityKeys, filters: SqliteKeyFilters) {
    this.main = main;
    this.keys = keys;
    this.filters = filters;
  }

  get(id: string): Customer | null {
    return parse<Customer>(
      this.main.r("SELECT doc FROM customers WHERE customer_id = ?").get(id) as Row | undefined,
    );
  }

  /** These customers as stored, by customerId; an id listed twice answers once. */
  getMany(ids: readonly string[]): Promise<Customer[]> {
    // Sorted first, so that the chunks' answers, one after another, are in customer_id order.
    const sorted = [...new Set(ids)].sort();
    return this.main.chunked(sorted, (chunk) =>
      parseAll<Customer>(
        this.main
          .r(
            "SELECT doc FROM customers WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id",
          )
          .all(json(chunk)) as Row[],
      ),
    );
  }

  async findByMatchKeys(keys: readonly string[]): Promise<MatchedCustomers> {
    const hits = await this.keys.hits(keys);
    if (hits.owners.length === 0) return { customerIds: new Map(), customers: [] };
    // The whole documents at once: the caller needs them, and they hold the keys to check against.
    const byId = new Map<string, Customer>();
    for (const c of await this.getMany(hits.owners)) byId.set(c.customerId, c);
    const customerIds = await this.keys.verified(hits, (id) => byId.get(id)?.matchKeys);
    const named = new Set(customerIds.values());
    return { customerIds, customers: [...byId.values()].filter((c) => named.has(c.customerId)) };
  }

  async put(customers: readonly Customer[], stored?: ReadonlyMap<string, Customer>): Promise<void> {
    if (customers.length === 0) return;
    const upsert = this.main.q(
      "INSERT INTO customers (customer_id, doc) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET doc = excluded.doc",
    );
    const putKey = this.main.q(
      `INSERT INTO identity_keys (hash, customer_id) VALUES (?, ?) ON CONFLICT (hash) DO UPDATE
       SET customer_id = excluded.customer_id WHERE identity_keys.customer_id <> excluded.customer_id`,
    );
    const { keys: lookup, filters } = this;
    await this.main.writeTx(function* () {
      // Every key of this call, and those listed by two of its customers (the last one listed gets it).
      const listed = new Set<string>();
      const twice = new Set<string>();
      for (const c of customers)
        for (const key of c.matchKeys) {
          if (listed.has(key)) twice.add(key);
          else listed.add(key);
        }
      const before = new Map<string, readonly string[]>();
      yield* lookup.stored(
        customers.map((c) => c.customerId),
        stored,
        before,
      );
      // A key a stored customer held and no customer of this call lists any more goes.
      yield* lookup.drop(before, listed);
      const hashes: number[] = [];
      const owners: Array<string | Uint8Array> = [];
      for (const c of customers) {
        upsert.run(c.customerId, JSON.stringify(c));
        // Keys a customer held and holds still are left as they are (a re-delivery lists them all
        // again: 2,000,000 look-ups in the key table for nothing, ~4 s of a 1,000,000-row delivery).
        const held = before.get(c.customerId);
        let id: string | Uint8Array | undefined;
        for (const key of c.matchKeys) {
          if (held?.includes(key) && !twice.has(key)) continue;
          id ??= compactId(c.customerId);
          hashes.push(lookup.hash(key));
          owners.push(id);
        }
        yield;
      }
      // In hash order: the random key table is then written leaf after leaf instead of all over.
      // Keys sharing a hash keep their order, so the last one listed wins as it would one by one.
      const filter = filters.keys;
      for (const i of hashOrder(hashes)) {
        putKey.run(hashes[i]!, owners[i]!);
        filter?.add(hashes[i]!);
        yield;
      }
    });
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const { main, keys: lookup } = this;
    await main.writeTx(function* () {
      const held = new Map<string, readonly string[]>();
      yield* lookup.stored(ids, undefined, held);
      yield* lookup.drop(held);
      const drop = main.q("DELETE FROM customers WHERE customer_id = ?");
      for (const id of ids) {
        drop.run(id);
        yield;
      }
    });
  }

  async *iterate(batchSize: number): AsyncIterable<Customer[]> {
    let after = "";
    for (;;) {
      const rows = this.main
        .r("SELECT customer_id, doc FROM customers WHERE customer_id > ? ORDER BY customer_id LIMIT ?")
        .all(after, batchSize) as Row[];
      if (rows.length === 0) return;
      after = rows.at(-1)!.customer_id as string;
      yield parseAll<Customer>(rows);
      if (rows.length < batchSize) return;
    }
  }

  count(): number {
    return Number((this.main.r("SELECT count(*) AS n FROM customers").get() as Row).n);
  }

  async idsByDelivery(deliveryId: string): Promise<string[]> {
    // Lineage is asked for only by retention and by undoing a failed delivery: a scan costs seconds
    // there and saves two index writes per row on every delivery. SQLite tests each document (a
    // substring prefilter, then its lineage array) and answers ids only, LINEAGE_PAGE rows per
    // statement: reading and parsing whole documents took 18 s and 2.4 GB for a 1,000,000-row delivery.
    // The statement is taken per page: after a pause a write may be open on the writing connection.
    const page = () =>
      this.main.r(
        `SELECT customer_id, instr(doc, ?1) > 0 AND EXISTS (SELECT 1 FROM json_each(doc, '$.deliveryIds')
         WHERE value = ?2) AS hit FROM customers WHERE customer_id > ?3 ORDER BY customer_id LIMIT ?4`,
      );
    const ids: string[] = [];
    await keysetPages(
      "",
      LINEAGE_PAGE,
      (after) => page().all(JSON.stringify(deliveryId), deliveryId, after, LINEAGE_PAGE) as Row[],
      (r) => r.customer_id as string,
      (r) => {
        if (r.hit) ids.push(r.customer_id as string);
      },
    );
    return ids;
  }
}

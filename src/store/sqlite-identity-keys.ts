import type { Customer } from "../domain/model.ts";
import { TimeSlice } from "../time-slice.ts";
import { compactId, expandId } from "./compact-id.ts";
import { json, READ_CHUNK, type Row, type SqliteConnection } from "./sqlite-connection.ts";
import type { SqliteKeyFilters } from "./sqlite-key-filters.ts";

/** The lookup rows of some keys' hashes (see `SqliteIdentityKeys.hits`). */
export interface KeyHits {
  /** The distinct hashes, ascending, and the keys sharing each. */
  hashes: number[];
  keys: string[][];
  /** Per hit: the position of its hash in `hashes`, and the customer the lookup row names. */
  at: number[];
  owners: string[];
}

/**
 * Positions of `hashes` (53-bit key hashes) in ascending order of their high 32 bits, equal ones by
 * position. One native sort of numbers (high bits × 2^20 + position) does it: sorting {hash, id}
 * objects with a comparator took ~35 ms of a 25,000-row batch, a Map from hash to id ~50 % more.
 * Hashes sharing their high 32 bits are rare and keep their order, which only costs locality.
 */
export function hashOrder(hashes: readonly number[]): Iterable<number> {
  const n = hashes.length;
  if (n >= 2 ** 20) return [...hashes.keys()].sort((a, b) => hashes[a]! - hashes[b]! || a - b);
  const keyed = new Float64Array(n);
  for (let i = 0; i < n; i++) keyed[i] = Math.floor(hashes[i]! / 2 ** 21) * 2 ** 20 + i;
  keyed.sort();
  return Array.from(keyed, (k) => k % 2 ** 20);
}

/**
 * The identity-key lookup of the embedded store: one row per key hash naming the customer who holds
 * the key (`identity_keys`), checked against the keys the customer's document lists, since two keys
 * may share a hash.
 */
export class SqliteIdentityKeys {
  private readonly main: SqliteConnection;
  private readonly filters: SqliteKeyFilters;
  readonly hash: (key: string) => number;

  constructor(main: SqliteConnection, filters: SqliteKeyFilters, keyHash: (key: string) => number) {
    this.main = main;
    this.filters = filters;
    this.hash = keyHash;
  }

  /**
   * The lookup rows of these keys' hashes. Arrays instead of a Map from hash to keys (a 53-bit hash is
   * no small integer: each look-up hashed a heap number): the JavaScript of this look-up and of
   * `verified` took 3.4 s of a 1,000,000-row re-delivery's writing thread instead of 4.8 s (one
   * profile each, 2-vCPU Xeon, 2026-12-07).
   */
  async hits(keys: readonly string[]): Promise<KeyHits> {
    const none = { hashes: [], keys: [], at: [], owners: [] };
    if (keys.length === 0) return none;
    const filter = (await this.filters.for(keys.length))?.keys;
    const slice = new TimeSlice();
    const distinct = [...new Set(keys)];
    const hashOf = new Float64Array(distinct.length);
    const kept: number[] = [];
    for (let i = 0; i < distinct.length; i++) {
      if (slice.due()) await slice.next();
      const h = this.hash(distinct[i]!);
      hashOf[i] = h;
      if (!filter || filter.mightHold(h)) kept.push(i);
    }
    if (kept.length === 0) return none;
    const order = Uint32Array.from(kept).sort((x, y) => hashOf[x]! - hashOf[y]!);
    const hashes: number[] = [];
    const keysOf: string[][] = [];
    for (const i of order) {
      const h = hashOf[i]!;
      if (hashes.at(-1) === h) keysOf.at(-1)!.push(distinct[i]!);
      else {
        hashes.push(h);
        keysOf.push([distinct[i]!]);
      }
    }
    // Probed in hash order, the list driving the join: consecutive probes then share B-tree pages
    // (50,000 keys against 2,000,000: misses 95 ms against 161 ms, hits 210 ms against 273 ms, for
    // `hash IN (SELECT value FROM json_each(?))` in any order; 2026-12-01). `j.key` is the position
    // in the chunk.
    const at: number[] = [];
    const owners: string[] = [];
    for (let from = 0; from < hashes.length; from += READ_CHUNK) {
      if (slice.due()) await slice.next();
      const statement = this.main.r(
        "SELECT j.key, k.customer_id FROM json_each(?) j CROSS JOIN identity_keys k ON k.hash = j.value",
      );
      statement.setReturnArrays(true);
      const rows = statement.all(json(hashes.slice(from, from + READ_CHUNK))) as unknown as Array<
        [number, string | Uint8Array]
      >;
      for (const [position, owner] of rows) {
        at.push(from + position);
        owners.push(expandId(owner));
      }
    }
    return { hashes, keys: keysOf, at, owners };
  }

  /** Key → customer for the hits whose customer holds the key (two keys may share a hash). */
  async verified(
    hits: Pick<KeyHits, "keys" | "at" | "owners">,
    keysOf: (customerId: string) => readonly string[] | undefined,
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const slice = new TimeSlice();
    for (let i = 0; i < hits.owners.length; i++) {
      if (slice.due()) await slice.next();
      const customerId = hits.owners[i]!;
      const held = keysOf(customerId);
      if (!held) continue;
      for (const key of hits.keys[hits.at[i]!]!) if (held.includes(key)) found.set(key, customerId);
    }
    return found;
  }

  /**
   * Steps of a write: the identity keys each of these customers holds as stored, into `into` — taken
   * from `stored` where it has the customer, read from the documents otherwise. Ids above the greatest
   * stored one are not stored: a delivery's new customers (uuid7 ids, made after every stored one) are
   * then not looked for one by one (~2 s of a 1,000,000-row delivery).
   */
  *stored(
    customerIds: readonly string[],
    stored: ReadonlyMap<string, Customer> | undefined,
    into: Map<string, readonly string[]>,
  ): Generator<void> {
    const unread: string[] = [];
    for (const id of customerIds) {
      const c = stored?.get(id);
      if (c) into.set(id, c.matchKeys);
      else unread.push(id);
    }
    if (unread.length === 0) return;
    const newest = (this.main.q("SELECT max(customer_id) AS id FROM customers").get() as Row).id as
      | string
      | null;
    if (newest === null) return;
    const ids = [...new Set(unread)];
    for (let i = 0; i < ids.length; i += READ_CHUNK) {
      for (const [customerId, keys] of this.held(ids.slice(i, i + READ_CHUNK), true, newest))
        into.set(customerId, keys);
      yield;
    }
  }

  /** Steps of a write: takes out the lookup rows of the keys these customers held (`held`), except `keep`. */
  *drop(held: ReadonlyMap<string, readonly string[]>, keep?: ReadonlySet<string>): Generator<void> {
    const drop = this.main.q("DELETE FROM identity_keys WHERE hash = ? AND customer_id = ?");
    for (const [customerId, keys] of held) {
      for (const key of keys) if (!keep?.has(key)) drop.run(this.hash(key), compactId(customerId));
      yield;
    }
  }

  /**
   * The identity keys each of these stored customers holds, read from their documents (`inWrite`:
   * within a write transaction, which must see its own changes).
   */
  held(customerIds: readonly string[], inWrite: boolean, upTo?: string): Array<[string, string[]]> {
    const sql = `SELECT customer_id, json_extract(doc, '$.matchKeys') AS keys FROM customers
       WHERE customer_id IN (SELECT value FROM json_each(?1) WHERE ?2 IS NULL OR value <= ?2)`;
    const rows = (inWrite ? this.main.q(sql) : this.main.r(sql)).all(
      json(customerIds),
      upTo ?? null,
    ) as Row[];
    return rows.map((r) => [r.customer_id as string, JSON.parse(r.keys as string) as string[]]);
  }

  /**
   * Moves identity keys of earlier layouts (key strings indexed twice; hashes with text ids) into
   * `identity_keys`.
   */
  migrate(): void {
    const db = this.main.db;
    const put = db.prepare(
      "INSERT INTO identity_keys (hash, customer_id) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING",
    );
    const migrate = (table: string, select: string, hashOf: (value: string | number) => number) => {
      if (!this.main.has(table)) return;
      this.main.tx(() => {
        const rows = db.prepare(select);
        rows.setReturnArrays(true);
        for (const [value, customerId] of rows.iterate() as Iterable<[string | number, string]>)
          put.run(hashOf(value), compactId(customerId));
        db.exec(`DROP TABLE ${table}`);
      });
    };
    migrate("customer_keys", "SELECT key, customer_id FROM customer_keys ORDER BY key", (key) =>
      this.hash(String(key)),
    );
    migrate("customer_key_hashes", "SELECT hash, customer_id FROM customer_key_hashes", Number);
  }
}

import { HashFilter } from "./hash-filter.ts";
import { keysetPages, type Row, type SqliteConnection } from "./sqlite-connection.ts";

/** Look-ups of at least this many keys build the key filters first (see `SqliteKeyFilters.for`). */
const FILTER_FROM_KEYS = 10_000;
/** Rows per statement while a filter is built. */
const FILTER_SCAN_PAGE = 50_000;

/** The two filters: identity-key hashes, and policy keys (partner and policy number) hashed. */
export interface KeyFilterPair {
  keys: HashFilter;
  policies: HashFilter;
}

/**
 * What the identity-key and policy tables hold, as Bloom filters of key hashes, with the database's
 * `data_version` when they were built: another process writing the file changes it, and then they
 * are dropped. Every write of the store adds its keys to them, so a big look-up (a delivery batch)
 * reads only keys that may be stored.
 */
export class SqliteKeyFilters {
  private readonly main: SqliteConnection;
  private readonly keyHash: (key: string) => number;
  private built: (KeyFilterPair & { dataVersion: number }) | undefined;

  constructor(main: SqliteConnection, keyHash: (key: string) => number) {
    this.main = main;
    this.keyHash = keyHash;
  }

  /** The identity-key filter when built (writes add the hashes they store). */
  get keys(): HashFilter | undefined {
    return this.built?.keys;
  }

  /** The policy filter when built (writes add the policies they store). */
  get policies(): HashFilter | undefined {
    return this.built?.policies;
  }

  /** The hash a policy key has in the policy filter. */
  policyHash(partner: string, policyNumber: string): number {
    return this.keyHash(`${partner}\u0000${policyNumber}`);
  }

  /**
   * The filters for a look-up of `size` keys: built first when the look-up is big (a delivery
   * batch; ~3.5 s at 1,000,000 customers, once per process), else only when already there. Dropped
   * when another connection has written the database since, or when one is overfull.
   */
  async for(size: number): Promise<KeyFilterPair | undefined> {
    const f = this.built;
    if (f && (f.dataVersion !== this.main.dataVersion() || f.keys.overfull || f.policies.overfull))
      this.built = undefined;
    if (!this.built && size >= FILTER_FROM_KEYS) await this.main.exclusive(() => this.build());
    return this.built;
  }

  /**
   * Reads every key hash and policy key into new filters. Runs in the write queue: no write of this
   * process is open or starts meanwhile, and those queued behind it find the filters in place.
   */
  private async build(): Promise<void> {
    if (this.built) return;
    const count = (table: string) =>
      Number((this.main.q(`SELECT count(*) AS n FROM ${table}`).get() as Row).n);
    const filters = {
      keys: new HashFilter(Math.max(4_000_000, 2 * count("identity_keys"))),
      policies: new HashFilter(Math.max(2_000_000, 2 * count("policies"))),
      dataVersion: this.main.dataVersion(),
    };
    // Keyset pages of FILTER_SCAN_PAGE rows as arrays, whose first column is the page key.
    const scan = <R extends [number, ...unknown[]]>(sql: string, each: (row: R) => void) => {
      const page = this.main.q(sql);
      page.setReturnArrays(true);
      return keysetPages(
        Number.MIN_SAFE_INTEGER,
        FILTER_SCAN_PAGE,
        (after) => page.all(after, FILTER_SCAN_PAGE) as unknown as R[],
        (row) => row[0],
        each,
      );
    };
    await scan<[number]>("SELECT hash FROM identity_keys WHERE hash > ? ORDER BY hash LIMIT ?", ([hash]) =>
      filters.keys.add(hash),
    );
    await scan<[number, string, string]>(
      "SELECT rowid, partner, policy_number FROM policies WHERE rowid > ? ORDER BY rowid LIMIT ?",
      ([, partner, policyNumber]) => filters.policies.add(this.policyHash(partner, policyNumber)),
    );
    this.built = filters;
  }
}

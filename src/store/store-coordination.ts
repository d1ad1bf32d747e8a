/**
 * What several service instances on one store share besides the records: leases (which instance does
 * work that must run once), counters (rate limits and the verification lockout across instances) and
 * the index-change journal (customers changed while another instance rebuilds the search index).
 * Times are milliseconds since the epoch, passed in by the caller, so a test moves its own clock.
 */

/** A named lease, held by `owner` until `expiresAt` unless renewed. */
export interface Lease {
  name: string;
  owner: string;
  expiresAt: number;
  /** What the holder does under it (a job id, a delivery id), for others to read. */
  note?: string;
}

/**
 * Leases: compare-and-set with an expiry and an owner id. Taking a free or expired lease is decided by
 * a unique key (one insert wins), which every MongoDB-compatible server does atomically.
 */
export interface LeaseStore {
  /**
   * Takes lease `name` for `owner` until `now + ttlMs` when it is free, expired at `now`, or already
   * `owner`'s (then it is extended); answers the lease as held, or null when another owner holds it.
   */
  acquire(name: string, owner: string, ttlMs: number, now: number, note?: string): Promise<Lease | null>;
  /** Extends `owner`'s lease to `now + ttlMs`; false when `owner` does not hold it (any more). */
  renew(name: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  /**
   * Gives the lease up if `owner` holds it (it is recorded as expired at 0, its owner and note kept
   * for whoever takes it next); another owner's lease is left alone.
   */
  release(name: string, owner: string): Promise<void>;
  /** The lease as last recorded (possibly expired or released), or null when it never existed. */
  get(name: string): Promise<Lease | null>;
}

/** One addition to a shared counter; the counter lives until the latest `expiresAt` it was given. */
export interface CountIncrement {
  key: string;
  by: number;
  expiresAt: number;
}

/**
 * Shared counters by key, each kept as one share per writer and read as their sum: a writer adds to
 * its own share only, so no two writers ever update one record (FerretDB 1.24, CI's stand-in for
 * MongoDB, loses concurrent `$inc`s on one document). One writer must not add to one key concurrently.
 */
export interface CounterStore {
  /** Adds to `writer`'s share of each counter and answers the counters' totals, in the order given. */
  add(increments: readonly CountIncrement[], writer: string): Promise<number[]>;
  /** The counters' totals (all writers) in the order given; 0 for one that does not exist. */
  read(keys: readonly string[]): Promise<number[]>;
  delete(keys: readonly string[]): Promise<void>;
  /** Deletes the counters whose expiry is at or before `now`; answers how many. */
  deleteExpired(now: number): Promise<number>;
}

/** Customer ids noted while a full reindex runs (src/indexer/indexer.ts), taken by the rebuilder. */
export interface IndexChangeStore {
  /** Notes these customer ids (a repeat is one entry). */
  note(customerIds: readonly string[]): Promise<void>;
  /** Takes up to `limit` noted ids: answers them and forgets them. */
  take(limit: number): Promise<string[]>;
}

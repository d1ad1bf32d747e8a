import type { IdTable } from "./embedded-id-table.ts";

/**
 * The customerId order of dense ids as integer ranks, so that tie-breaks (ties at the size cut-off go
 * to the smallest customerIds, as the Elasticsearch adapter sorts) compare integers instead of strings.
 */
export class IdRanks {
  private rank = new Uint32Array(1024);
  // Below this dense id every rank is the id + 1 (a restart loads the ids in customerId order, and
  // later ones sorting after them continue it): compares there read no rank.
  private rankIsId = 0;
  // The highest rank given and its customerId: a later id sorting after it (UUIDv7 ids grow with
  // time, one delivery's ids in order) extends the ranks instead of falling back to string compares.
  private topRank = 0;
  private topRankedId = "";

  private readonly ids: IdTable;

  constructor(ids: IdTable) {
    this.ids = ids;
  }

  /** Makes room for `cap` dense ids. */
  grow(cap: number): void {
    if (cap <= this.rank.length) return;
    const rank = new Uint32Array(Math.max(cap, this.rank.length * 2));
    rank.set(this.rank);
    this.rank = rank;
  }

  /** A new dense id: ranked when its customerId sorts after every ranked one, else rank 0 (string compares). */
  added(id: number, customerId: string): void {
    if (customerId <= this.topRankedId) return;
    this.rank[id] = ++this.topRank;
    this.topRankedId = customerId;
    if (id === this.rankIsId && this.topRank === id + 1) this.rankIsId++;
  }

  /** Ranks every customerId known now. */
  rankAll(): void {
    const ids = this.ids;
    const n = ids.length;
    this.grow(n);
    // Both branches below give every id below n its rank, so nothing needs clearing first.
    this.topRank = n;
    this.rankIsId = 0;
    // A restart loads the table in customerId order, so the ranks are usually the positions: one
    // pass checks that instead of sorting a million ids with a comparator.
    let inOrder = true;
    for (let i = 1; i < n && inOrder; i++) inOrder = ids.compare(i - 1, i) < 0;
    if (inOrder) {
      for (let i = 0; i < n; i++) this.rank[i] = i + 1;
      this.rankIsId = n;
      this.topRankedId = n > 0 ? ids.customerId(n - 1) : "";
      return;
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ids.compare(a, b));
    order.forEach((id, i) => {
      this.rank[id] = i + 1;
    });
    this.topRankedId = n > 0 ? ids.customerId(order[n - 1]!) : "";
  }

  /** Negative when dense id `a`'s customerId sorts before `b`'s. */
  compare(a: number, b: number): number {
    if (a < this.rankIsId && b < this.rankIsId) return a - b;
    const ra = this.rank[a] ?? 0;
    const rb = this.rank[b] ?? 0;
    return ra > 0 && rb > 0 ? ra - rb : this.ids.compare(a, b);
  }
}

/**
 * What a set of clauses scores, per document they touch: `ids` ascending with their `scores`, and
 * `order` (positions) best first — score descending, then customerId — so a query takes its best
 * few without sorting again.
 */
export class ClauseSummary {
  readonly ids: Int32Array;
  readonly scores: Uint16Array;
  readonly order: Int32Array;

  /** `ids`: the touched documents, ascending; `scoreOf` their scores. */
  constructor(
    ids: Int32Array,
    scoreOf: (id: number) => number,
    byCustomerId: (a: number, b: number) => number,
  ) {
    this.ids = ids;
    const n = this.ids.length;
    this.scores = new Uint16Array(n);
    let max = 0;
    for (let i = 0; i < n; i++) {
      const sc = scoreOf(this.ids[i]!);
      this.scores[i] = sc;
      if (sc > max) max = sc;
    }
    // A counting sort by score keeps the ascending ids in order within a score: customerId order,
    // where ids follow it; elsewhere a comparator decides.
    const starts = new Uint32Array(max + 2);
    for (let i = 0; i < n; i++) starts[max - this.scores[i]! + 1]!++;
    for (let s = 1; s <= max + 1; s++) starts[s]! += starts[s - 1]!;
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[starts[max - this.scores[i]!]!++] = i;
    let inIdOrder = true;
    for (let i = 1; i < n && inIdOrder; i++) inIdOrder = byCustomerId(this.ids[i - 1]!, this.ids[i]!) < 0;
    if (!inIdOrder)
      this.order.sort(
        (a, b) => this.scores[b]! - this.scores[a]! || byCustomerId(this.ids[a]!, this.ids[b]!),
      );
  }

  /**
   * The summary's scores of `sorted` (ascending ids; 0 for those it does not hold): one walk along
   * both lists, galloping over the summary's ids between two looked-up ones.
   */
  scoresOf(sorted: Int32Array): Uint16Array {
    const out = new Uint16Array(sorted.length);
    const ids = this.ids;
    let at = 0;
    for (let i = 0; i < sorted.length && at < ids.length; i++) {
      const id = sorted[i]!;
      if (ids[at]! < id) {
        // Gallop: the first position holding an id ≥ `id` lies in (at + step/2, at + step].
        let step = 1;
        while (at + step < ids.length && ids[at + step]! < id) step *= 2;
        let lo = at + (step >> 1) + 1;
        let hi = Math.min(at + step, ids.length);
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (ids[mid]! < id) lo = mid + 1;
          else hi = mid;
        }
        at = lo;
      }
      if (at < ids.length && ids[at] === id) out[i] = this.scores[at]!;
    }
    return out;
  }
}

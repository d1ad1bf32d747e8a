/**
 * Per-query scratch state of the embedded index, sized to the documents: one accumulator word per
 * document (query stamp above, score below), the documents touched in first-seen order, and bit sets
 * over documents that are all clear between queries.
 */

// The accumulator word of a document: query stamp above, score below (capped at SCORE_MAX, far above
// what the weights of a query's clauses add up to).
const SCORE_BITS = 11;
/** Highest score a document can hold in one query. */
export const SCORE_MAX = (1 << SCORE_BITS) - 1;
const STAMP_MASK = 0xffff & ~SCORE_MAX;
const STAMPS = 1 << (16 - SCORE_BITS);

/** Sets document `id`'s bit. */
export const setBit = (bits: Int32Array, id: number) => {
  bits[id >>> 5]! |= 1 << (id & 31);
};

/** Clears the words holding the bits of `ids` (each bit set holds only those ids). */
export function clearBits(bits: Int32Array, ids: ArrayLike<number>): void {
  for (let i = 0; i < ids.length; i++) bits[ids[i]! >>> 5] = 0;
}

/** The scores, touched list and bit sets one query works in. */
export class Accumulator {
  // Two bytes per document, so that the accumulator of a million stays in a core's cache (a query
  // visits tens of thousands of postings at random): the query's stamp in the high bits (a document
  // stamped by an earlier query counts as 0) and its weighted score in the low SCORE_BITS.
  acc = new Uint16Array(1024);
  private stamp = 0;
  /** The documents this query touched, in the order first seen (the first `touchedCount`). */
  touched = new Int32Array(1024);
  touchedCount = 0;
  /**
   * Bit sets over documents: counted by the current clause (a clause counts a document once, however
   * many of its terms hold it) and passing the must clauses so far; cleared after use.
   */
  seen = new Int32Array(32);
  passing = new Int32Array(32);
  passingNext = new Int32Array(32);

  /** Makes room for `needed` documents (at least doubling, so adding documents one by one stays linear). */
  grow(needed: number): void {
    if (needed <= this.acc.length) return;
    const cap = Math.max(needed, this.acc.length * 2);
    const acc = new Uint16Array(cap);
    acc.set(this.acc);
    this.acc = acc;
    // Bit sets are all clear between queries.
    const words = Math.ceil(cap / 32);
    this.seen = new Int32Array(words);
    this.passing = new Int32Array(words);
    this.passingNext = new Int32Array(words);
  }

  /**
   * Starts a query: its stamp (in place, in the high bits), and nothing touched yet. Every STAMPS
   * queries the accumulator is wiped, so an old stamp can never be mistaken for the current one.
   */
  begin(): number {
    this.stamp++;
    if (this.stamp === STAMPS) {
      this.acc.fill(0);
      this.stamp = 1;
    }
    this.touchedCount = 0;
    return this.stamp << SCORE_BITS;
  }

  /** Document `id`'s score in the query stamped `tag` (0 when untouched). */
  scoreOf(id: number, tag: number): number {
    const v = this.acc[id]!;
    return (v & STAMP_MASK) === tag ? v & SCORE_MAX : 0;
  }

  /** Whether the query stamped `tag` touched document `id`. */
  has(id: number, tag: number): boolean {
    return (this.acc[id]! & STAMP_MASK) === tag;
  }

  /** Adds `w` (> 0) to document `id`'s score in this query, touching it if new. */
  addScore(id: number, w: number, tag: number): void {
    if (w === 0) return;
    const v = this.acc[id]!;
    if ((v & STAMP_MASK) === tag) this.acc[id] = tag | Math.min(SCORE_MAX, (v & SCORE_MAX) + w);
    else {
      this.acc[id] = tag | Math.min(SCORE_MAX, w);
      this.touch(id);
    }
  }

  /**
   * Adds one clause's weight to every document its lists hold, once per document (only to those
   * passing the must clauses when `filtered`). The accumulator update is addScore's, written out:
   * calling addScore here cost 3-8 % more CPU a query (search-ab, both orders, 2-vCPU Xeon, 2026-12-01).
   */
  accumulate(lists: readonly Int32Array[], w: number, tag: number, filtered: boolean): void {
    const { acc, seen, passing } = this;
    const once = lists.length > 1;
    for (const ids of lists) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        const word = id >>> 5;
        const bit = 1 << (id & 31);
        if (once) {
          if ((seen[word]! & bit) !== 0) continue;
          seen[word]! |= bit;
        }
        if (filtered && (passing[word]! & bit) === 0) continue;
        const v = acc[id]!;
        if ((v & STAMP_MASK) === tag) acc[id] = tag | Math.min(SCORE_MAX, (v & SCORE_MAX) + w);
        else {
          acc[id] = tag | w;
          this.touch(id);
        }
      }
    }
    if (once) for (const ids of lists) clearBits(seen, ids);
  }

  /**
   * The first `n` of `ids` (distinct), ascending: set in a bit set and read back word by word, which
   * for thousands of ids costs less than a sort (the bit set is left clear).
   */
  ascending(ids: Int32Array, n: number): Int32Array {
    const bits = this.seen;
    let low = bits.length;
    let high = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const word = id >>> 5;
      bits[word]! |= 1 << (id & 31);
      if (word < low) low = word;
      if (word > high) high = word;
    }
    const out = new Int32Array(n);
    let k = 0;
    for (let word = low; word <= high; word++) {
      let b = bits[word]!;
      if (b === 0) continue;
      bits[word] = 0;
      while (b !== 0) {
        const low1 = b & -b;
        out[k++] = (word << 5) | (31 - Math.clz32(low1));
        b ^= low1;
      }
    }
    return out;
  }

  private touch(id: number): void {
    if (this.touchedCount === this.touched.length) {
      const grown = new Int32Array(this.touched.length * 2);
      grown.set(this.touched);
      this.touched = grown;
    }
    this.touched[this.touchedCount++] = id;
  }
}

import type { PostingVisitor } from "./embedded-field-index.ts";

const NONE = -1;

/**
 * The postings of numbered terms in typed arrays, not one object per term: `heads[t]` holds a lone
 * doc id (≥ 0, most terms of a near-unique key), NONE, or `-(offset + 2)` of a block in one shared
 * pool laid out `[count, capacity, ids…]`. A full block moves to the pool's end, grown by half; the
 * pool is compacted when moved-out blocks fill half of it.
 */
export class PostingStore {
  private heads: Int32Array = new Int32Array(1024).fill(NONE);
  private pool: Int32Array = new Int32Array(1024);
  private poolUsed = 0;
  private wasted = 0;
  private readonly lone = new Int32Array(1);

  /** Adds doc `id` to term `t`'s postings (the caller adds an id to a term once). */
  add(t: number, id: number): void {
    if (t >= this.heads.length) this.growHeads(t + 1);
    const head = this.heads[t]!;
    if (head === NONE) {
      this.heads[t] = id;
      return;
    }
    if (head >= 0) {
      const at = this.allocate(2);
      this.pool[at] = 2;
      this.pool[at + 2] = head;
      this.pool[at + 3] = id;
      this.heads[t] = -(at + 2);
      return;
    }
    let at = -head - 2;
    const n = this.pool[at]!;
    if (n === this.pool[at + 1]) {
      const moved = this.allocate(n + (n >> 1) + 1);
      // allocate may have compacted the pool: read the block's offset again.
      at = -this.heads[t]! - 2;
      this.pool.copyWithin(moved + 2, at + 2, at + 2 + n);
      this.wasted += n + 2;
      this.heads[t] = -(moved + 2);
      at = moved;
    }
    this.pool[at + 2 + n] = id;
    this.pool[at] = n + 1;
  }

  /** Takes doc `id` out of term `t`'s postings, if there. */
  remove(t: number, id: number): void {
    if (t >= this.heads.length) return;
    const head = this.heads[t]!;
    if (head >= 0) {
      if (head === id) this.heads[t] = NONE;
      return;
    }
    if (head === NONE) return;
    const at = -head - 2;
    const n = this.pool[at]!;
    for (let k = at + 2 + n - 1; k >= at + 2; k--) {
      if (this.pool[k] !== id) continue;
      this.pool.copyWithin(k, k + 1, at + 2 + n);
      this.pool[at] = n - 1;
      return;
    }
  }

  /** Calls `visit` with term `t`'s doc ids (a view, valid only during the call), unless it has none. */
  visit(t: number, visit: PostingVisitor): void {
    if (t >= this.heads.length) return;
    const head = this.heads[t]!;
    if (head >= 0) {
      this.lone[0] = head;
      visit(this.lone);
    } else if (head !== NONE) {
      const at = -head - 2;
      const n = this.pool[at]!;
      if (n > 0) visit(this.pool.subarray(at + 2, at + 2 + n));
    }
  }

  /** Bytes of the typed arrays, for memory figures. */
  get byteSize(): number {
    return this.heads.byteLength + this.pool.byteLength;
  }

  // Reserves a block of `capacity` ids; returns its offset (count 0).
  private allocate(capacity: number): number {
    const size = capacity + 2;
    if (this.poolUsed + size > this.pool.length) {
      if (this.wasted * 2 > this.poolUsed) this.compact();
      if (this.poolUsed + size > this.pool.length) {
        const pool = new Int32Array(Math.max(this.poolUsed + size, Math.ceil(this.pool.length * 1.5)));
        pool.set(this.pool.subarray(0, this.poolUsed));
        this.pool = pool;
      }
    }
    const at = this.poolUsed;
    this.poolUsed += size;
    this.pool[at] = 0;
    this.pool[at + 1] = capacity;
    return at;
  }

  // Copies the live blocks, in term order, into a pool of the same size.
  private compact(): void {
    const old = this.pool;
    const pool = new Int32Array(old.length);
    let used = 0;
    const heads = this.heads;
    for (let t = 0; t < heads.length; t++) {
      const head = heads[t]!;
      if (head >= NONE) continue;
      const at = -head - 2;
      const size = old[at + 1]! + 2;
      pool.set(old.subarray(at, at + size), used);
      heads[t] = -(used + 2);
      used += size;
    }
    this.pool = pool;
    this.poolUsed = used;
    this.wasted = 0;
  }

  private growHeads(needed: number): void {
    const heads = new Int32Array(Math.max(needed, Math.ceil(this.heads.length * 1.5))).fill(NONE);
    heads.set(this.heads);
    this.heads = heads;
  }
}

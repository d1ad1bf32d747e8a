/**
 * A Bloom filter of 53-bit key hashes (src/store/key-hash.ts): "certainly not held" or "maybe". The
 * embedded store keeps one of the identity keys and one of the (partner, policy number) pairs it
 * holds, so that a big delivery's look-ups skip what cannot be there: a first delivery of a partner's
 * portfolio is nearly all new customers and policies, and each missed look-up cost SQLite ~2-3 µs.
 * Two probes in 16 bits per held hash: about 1.4 % false "maybe" at capacity, more beyond it.
 */
export class HashFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  /** Hashes added (with repeats); past `capacity` the filter answers "maybe" more often. */
  added = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(1024, capacity);
    const size = 2 ** Math.ceil(Math.log2(this.capacity * 16));
    this.bits = new Uint32Array(size / 32);
    this.mask = size - 1;
  }

  /** Holding four times the hashes it was sized for: then nearly every answer is "maybe". */
  get overfull(): boolean {
    return this.added > 4 * this.capacity;
  }

  add(hash: number): void {
    const lo = hash >>> 0;
    const p1 = lo & this.mask;
    const p2 = this.second(lo, hash);
    this.bits[p1 >>> 5]! |= 1 << (p1 & 31);
    this.bits[p2 >>> 5]! |= 1 << (p2 & 31);
    this.added++;
  }

  /** False only when `hash` was never added. */
  mightHold(hash: number): boolean {
    const lo = hash >>> 0;
    const p1 = lo & this.mask;
    if ((this.bits[p1 >>> 5]! & (1 << (p1 & 31))) === 0) return false;
    const p2 = this.second(lo, hash);
    return (this.bits[p2 >>> 5]! & (1 << (p2 & 31))) !== 0;
  }

  /** Second probe: the high 21 bits mixed with the low 32 (a multiply-xorshift), masked. */
  private second(lo: number, hash: number): number {
    const hi = Math.floor(hash / 4294967296);
    let x = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    x ^= x >>> 13;
    return (Math.imul(x, 0xc2b2ae35) ^ (x >>> 16)) & this.mask;
  }
}

/** Hash of the encoded bytes `bytes[start..end)`; injectable so tests can force collisions. */
export type TermHash = (bytes: Uint8Array, start: number, end: number) => number;

/** FNV-1a over the bytes, then murmur3's finaliser so linear probing sees well-spread low bits. */
const fnv1a: TermHash = (bytes, start, end) => {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/**
 * Writes the UTF-16 code units of `s` at `at`: a unit below 0x80 as one byte, any other as three
 * bytes ≥ 0x80 (2 + 7 + 7 bits, most significant first). Injective and prefix-free per unit, so byte
 * equality, byte prefixes and byte order are exactly JavaScript's string equality, startsWith and `<`
 * — also for lone surrogates, which UTF-8 could not represent.
 */
function encode(s: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) out[at++] = c;
    else {
      out[at++] = 0x80 | (c >>> 14);
      out[at++] = 0x80 | ((c >>> 7) & 0x7f);
      out[at++] = 0x80 | (c & 0x7f);
    }
  }
  return at;
}

function grownBytes(bytes: Uint8Array, needed: number): Uint8Array {
  if (needed <= bytes.length) return bytes;
  const out = new Uint8Array(Math.max(needed, Math.ceil(bytes.length * 1.5)));
  out.set(bytes);
  return out;
}

/** Options of a TermTable: an initial capacity (terms) and, for tests, the hash. */
export interface TermTableOptions {
  capacity?: number;
  hash?: TermHash;
}

/**
 * Interned strings without a JavaScript string per entry: the text of every term in one byte arena,
 * an open-addressing hash table (linear probing, load ≤ ¾) of dense term numbers, and each term's
 * hash kept for growing. A lookup compares the bytes of the candidates whose hash matches, so a hash
 * collision costs a compare, never a wrong answer. Terms are never removed: a term number is stable.
 * About 16 bytes plus the text per term (a Map entry and its string took ~90).
 */
export class TermTable {
  private bytes: Uint8Array = new Uint8Array(1024);
  private used = 0;
  // starts[t]..starts[t + 1] is term t's text (terms are appended in order).
  private starts: Uint32Array;
  private hashes: Uint32Array;
  private slots: Int32Array;
  private count = 0;
  private scratch: Uint8Array = new Uint8Array(256);
  private view: Buffer | undefined;
  private readonly hash: TermHash;

  constructor(options: TermTableOptions = {}) {
    const capacity = Math.max(2, options.capacity ?? 1024);
    this.hash = options.hash ?? fnv1a;
    this.hashes = new Uint32Array(capacity);
    this.starts = new Uint32Array(capacity + 1);
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2((capacity * 4) / 3)));
  }

  /** Number of terms. */
  get size(): number {
    return this.count;
  }

  /** The term number of `s`, or -1. */
  find(s: string): number {
    const end = this.encodeScratch(s);
    return this.lookup(this.scratch, 0, end, this.hash(this.scratch, 0, end));
  }

  /** The term number of `s`, added (as the next number) when new. */
  intern(s: string): number {
    if (this.used + 3 * s.length > this.bytes.length) {
      this.bytes = grownBytes(this.bytes, this.used + 3 * s.length);
      this.view = undefined;
    }
    // Encoded straight into the arena: kept if new, overwritten by the next term if not.
    const start = this.used;
    const end = encode(s, this.bytes, start);
    const h = this.hash(this.bytes, start, end);
    const found = this.lookup(this.bytes, start, end, h);
    if (found >= 0) return found;
    const t = this.count++;
    if (t >= this.hashes.length) this.growTerms();
    this.hashes[t] = h;
    this.starts[t + 1] = end;
    this.used = end;
    if (this.count * 4 > this.slots.length * 3) this.rehash(this.slots.length * 2);
    else this.place(t, h);
    return t;
  }

  /** The text of term `t`. */
  text(t: number): string {
    const start = this.starts[t]!;
    const end = this.starts[t + 1]!;
    const bytes = this.bytes;
    let ascii = true;
    for (let i = start; i < end && ascii; i++) ascii = bytes[i]! < 0x80;
    if (ascii) {
      this.view ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return this.view.toString("latin1", start, end);
    }
    let out = "";
    for (let i = start; i < end; ) {
      const b = bytes[i]!;
      if (b < 0x80) {
        out += String.fromCharCode(b);
        i++;
      } else {
        out += String.fromCharCode(
          ((b & 0x03) << 14) | ((bytes[i + 1]! & 0x7f) << 7) | (bytes[i + 2]! & 0x7f),
        );
        i += 3;
      }
    }
    return out;
  }

  /** Whether term `t` is the empty string. */
  isEmpty(t: number): boolean {
    return this.starts[t + 1] === this.starts[t];
  }

  /** Orders terms `a` and `b` as their strings compare with `<` (-1, 0 or 1). */
  compare(a: number, b: number): number {
    if (a === b) return 0;
    const bytes = this.bytes;
    let i = this.starts[a]!;
    let j = this.starts[b]!;
    const ei = this.starts[a + 1]!;
    const ej = this.starts[b + 1]!;
    for (; i < ei && j < ej; i++, j++) if (bytes[i] !== bytes[j]) return bytes[i]! < bytes[j]! ? -1 : 1;
    return i < ei ? 1 : j < ej ? -1 : 0;
  }

  /** Calls `fn` with every term number whose text starts with `prefix`, in term-number order. */
  eachWithPrefix(prefix: string, fn: (t: number) => void): void {
    const n = this.encodeScratch(prefix);
    const { bytes, starts, scratch } = this;
    for (let t = 0; t < this.count; t++) {
      const start = starts[t]!;
      if (starts[t + 1]! - start < n) continue;
      let k = 0;
      while (k < n && bytes[start + k] === scratch[k]) k++;
      if (k === n) fn(t);
    }
  }

  /** Text bytes plus table arrays, for memory figures. */
  get byteSize(): number {
    return this.bytes.byteLength + this.starts.byteLength + this.hashes.byteLength + this.slots.byteLength;
  }

  private encodeScratch(s: string): number {
    if (3 * s.length > this.scratch.length) this.scratch = new Uint8Array(3 * s.length);
    return encode(s, this.scratch, 0);
  }

  private lookup(src: Uint8Array, start: number, end: number, h: number): number {
    const { slots, hashes, starts, bytes } = this;
    const mask = slots.length - 1;
    const n = end - start;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const t = slots[at]! - 1;
      if (t < 0) return -1;
      if (hashes[t] !== h) continue;
      const from = starts[t]!;
      if (starts[t + 1]! - from !== n) continue;
      let k = 0;
      while (k < n && bytes[from + k] === src[start + k]) k++;
      if (k === n) return t;
    }
  }

  private place(t: number, h: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let at = h & mask;
    while (slots[at] !== 0) at = (at + 1) & mask;
    slots[at] = t + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let t = 0; t < this.count; t++) this.place(t, this.hashes[t]!);
  }

  private growTerms(): void {
    const cap = Math.ceil(this.hashes.length * 1.5) + 2;
    const hashes = new Uint32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const starts = new Uint32Array(cap + 1);
    starts.set(this.starts);
    this.starts = starts;
  }
}

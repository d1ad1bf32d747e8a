import { type TermHash, TermTable } from "./embedded-term-table.ts";

const RETIRED = -1;

function grown(a: Int32Array, needed: number): Int32Array {
  const out = new Int32Array(Math.max(needed, Math.ceil(a.length * 1.5))).fill(RETIRED);
  out.set(a);
  return out;
}

/**
 * customerId ↔ dense internal id without a string and a Map entry per customer: the ids' text in a
 * TermTable, and two Int32Arrays between its term numbers and the dense ids. A removed customer's
 * dense id is retired, never reused (postings elsewhere can never point at a new customer); adding
 * the customer again gives a new dense id.
 */
export class IdTable {
  private readonly table: TermTable;
  // term number → its current dense id (or RETIRED), dense id → term number (or RETIRED).
  private denseOf: Int32Array = new Int32Array(1024).fill(RETIRED);
  private termOf: Int32Array = new Int32Array(1024).fill(RETIRED);
  private next = 0;
  private live = 0;

  constructor(options: { hash?: TermHash } = {}) {
    this.table = new TermTable({ hash: options.hash });
  }

  /** Customers with a live dense id. */
  get size(): number {
    return this.live;
  }

  /** Dense ids handed out so far (live and retired): every dense id is below this. */
  get length(): number {
    return this.next;
  }

  /** The live dense id of `customerId`, or -1. */
  get(customerId: string): number {
    const t = this.table.find(customerId);
    return t < 0 ? -1 : this.denseOf[t]!;
  }

  /** Gives `customerId` (which has no live dense id) the next dense id. */
  add(customerId: string): number {
    const t = this.table.intern(customerId);
    if (t >= this.denseOf.length) this.denseOf = grown(this.denseOf, t + 1);
    const id = this.next++;
    if (id >= this.termOf.length) this.termOf = grown(this.termOf, id + 1);
    this.denseOf[t] = id;
    this.termOf[id] = t;
    this.live++;
    return id;
  }

  /** Retires dense id `id`: its customerId reads as "" and `get` no longer finds it. */
  retire(id: number): void {
    const t = this.termOf[id]!;
    if (t === RETIRED) return;
    this.denseOf[t] = RETIRED;
    this.termOf[id] = RETIRED;
    this.live--;
  }

  /** The customerId of dense id `id`, "" once retired. */
  customerId(id: number): string {
    const t = this.termOf[id]!;
    return t === RETIRED ? "" : this.table.text(t);
  }

  /** Orders two dense ids as their customerIds compare with `<` (a retired one as ""). */
  compare(a: number, b: number): number {
    const ta = this.termOf[a]!;
    const tb = this.termOf[b]!;
    if (ta === RETIRED || tb === RETIRED) {
      const ea = ta === RETIRED || this.table.isEmpty(ta);
      const eb = tb === RETIRED || this.table.isEmpty(tb);
      return ea === eb ? 0 : ea ? -1 : 1;
    }
    return this.table.compare(ta, tb);
  }

  /** Bytes of the typed arrays behind the table, for memory figures. */
  get byteSize(): number {
    return this.table.byteSize + this.denseOf.byteLength + this.termOf.byteLength;
  }
}

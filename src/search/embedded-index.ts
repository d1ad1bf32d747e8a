import { ExactFieldIndex } from "./embedded-exact-field-index.ts";
import { FieldIndex, type PostingVisitor } from "./embedded-field-index.ts";
import { IdTable } from "./embedded-id-table.ts";
import type { CustomerDoc, DocField, RetrievalClause, RetrievalQuery } from "./search-engine.ts";

/** Every field retrieval can address, in one list (the DocField union as a value). */
export const DOC_FIELDS: readonly DocField[] = [
  "surname",
  "surnameParts",
  "tussenvoegsel",
  "firstNames",
  "initials",
  "companyWords",
  "phonetic",
  "birthDate",
  "postcode",
  "postcodeArea",
  "houseNumber",
  "houseNumberBase",
  "street",
  "city",
  "phones",
  "email",
  "policyNumbers",
];

/** Fields whose typo index is built at start, since name, street and city clauses are fuzzy. */
export const FUZZY_FIELDS: readonly DocField[] = [
  "surname",
  "surnameParts",
  "firstNames",
  "companyWords",
  "street",
  "city",
];

/** Fields whose sorted dictionary is built at start, since name, initials, street and city clauses use prefixes. */
export const PREFIX_FIELDS: readonly DocField[] = [
  "surname",
  "surnameParts",
  "firstNames",
  "initials",
  "companyWords",
  "street",
  "city",
];

/** The index of one field: terms kept for prefix and typo lookups, or in a byte arena for exact ones. */
type AnyFieldIndex = FieldIndex | ExactFieldIndex;

// Fields no search clause looks up by prefix or typo hold most of the distinct terms (phones, e-mail,
// policy numbers, postcodes, birth dates): their terms live in typed arrays, not as strings in a Map.
const newFieldIndex = (field: DocField): AnyFieldIndex =>
  PREFIX_FIELDS.includes(field) || FUZZY_FIELDS.includes(field) ? new FieldIndex() : new ExactFieldIndex();

/** What the in-memory index needs of a document: its id and matching keys, not the display payload. */
export type IndexedKeys = Pick<CustomerDoc, "customerId" | DocField>;

/** The matching keys of a document, as persisted beside it so a restart parses only these. */
export function keysOf(doc: CustomerDoc): IndexedKeys {
  const keys: Record<string, unknown> = { customerId: doc.customerId };
  for (const f of DOC_FIELDS) if (doc[f] !== undefined) keys[f] = doc[f];
  return keys as IndexedKeys;
}

// Feeds each distinct term of each field to `fn`; plain loops without per-document closures, because
// a restart runs this for every field of every document.
function eachTerm(
  doc: IndexedKeys,
  fields: readonly AnyFieldIndex[],
  id: number,
  fn: (index: AnyFieldIndex, term: string, id: number) => void,
): void {
  for (let f = 0; f < DOC_FIELDS.length; f++) {
    const v = doc[DOC_FIELDS[f]!];
    if (v === undefined) continue;
    const index = fields[f]!;
    if (typeof v === "string") {
      fn(index, v, id);
      continue;
    }
    for (let i = 0; i < v.length; i++) if (i === 0 || v.indexOf(v[i]!) === i) fn(index, v[i]!, id);
  }
}

const addTerm = (index: AnyFieldIndex, term: string, id: number) => index.add(term, id);
const removeTerm = (index: AnyFieldIndex, term: string, id: number) => index.remove(term, id);

// Clause weights decide which candidates fill `size` when more match: exact beats prefix beats typo.
const WEIGHT = { exact: 3, prefix: 2, fuzzy: 1 } as const;

/**
 * The in-memory inverted index of one generation of the embedded engine: customerId ↔ dense internal
 * id, one FieldIndex per DocField, and typed-array accumulators so a query costs the postings it
 * touches, never a scan of all documents.
 */
export class EmbeddedIndex {
  private readonly fields: AnyFieldIndex[] = DOC_FIELDS.map(newFieldIndex);
  private readonly fieldOf = new Map<DocField, AnyFieldIndex>(DOC_FIELDS.map((f, i) => [f, this.fields[i]!]));
  private readonly ids = new IdTable();
  // Per document, side by side so one visit touches one cache line: the query that last saw it
  // (acc[2·id]) and its slot in that query (acc[2·id + 1]). Scores live in the dense slots, so a query
  // never resets anything per document and picking the best reads a small array in order.
  private acc = new Uint32Array(2048);
  private readonly slots = new QuerySlots();
  private querySerial = 0;
  private rank = new Uint32Array(1024);
  // The highest rank given and its customerId: a later id sorting after it (UUIDv7 ids grow with
  // time, one delivery's ids in order) extends the ranks instead of falling back to string compares.
  private topRank = 0;
  private topRankedId = "";

  get size(): number {
    return this.ids.size;
  }

  has(customerId: string): boolean {
    return this.ids.get(customerId) >= 0;
  }

  /** Indexes a document; the previous version, when given, is taken out first. */
  add(doc: IndexedKeys, previous?: IndexedKeys | null): void {
    let id = this.ids.get(doc.customerId);
    if (id >= 0 && previous) this.unindex(previous, id);
    if (id < 0) {
      id = this.ids.add(doc.customerId);
      this.grow(this.ids.length);
      if (doc.customerId > this.topRankedId) {
        this.rank[id] = ++this.topRank;
        this.topRankedId = doc.customerId;
      }
    }
    eachTerm(doc, this.fields, id, addTerm);
  }

  /** Takes a document out; `doc` is its indexed version (its terms name the postings to clean). */
  remove(doc: IndexedKeys): void {
    const id = this.ids.get(doc.customerId);
    if (id < 0) return;
    this.unindex(doc, id);
    // The dense id is retired, not reused: postings elsewhere can never point at a new customer.
    this.ids.retire(id);
  }

  /** Builds the typo indexes of the name, street and city fields and sorts the dictionaries. */
  seal(): void {
    for (const [field, index] of this.fieldOf) {
      if (PREFIX_FIELDS.includes(field)) index.sortTerms();
      else index.seal();
      if (FUZZY_FIELDS.includes(field)) index.warm();
    }
    // Ranks of the customerIds known now turn tie-breaks into integer compares; ids added later
    // have rank 0 (unless they sort after every ranked id) and compare as strings, which orders them the same way.
    const ids = this.ids;
    const n = ids.length;
    this.rank = new Uint32Array(this.rank.length);
    this.topRank = n;
    // A restart loads the table in customerId order, so the ranks are usually the positions: one
    // pass checks that instead of sorting a million ids with a comparator.
    let inOrder = true;
    for (let i = 1; i < n && inOrder; i++) inOrder = ids.compare(i - 1, i) < 0;
    if (inOrder) {
      for (let i = 0; i < n; i++) this.rank[i] = i + 1;
      this.topRankedId = n > 0 ? ids.customerId(n - 1) : "";
      return;
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ids.compare(a, b));
    order.forEach((id, i) => {
      this.rank[id] = i + 1;
    });
    this.topRankedId = n > 0 ? ids.customerId(order[n - 1]!) : "";
  }

  /** customerIds of the best `size` candidates: most (weighted) should clauses first, then by customerId. */
  retrieve(query: RetrievalQuery): string[] {
    const must = query.must ?? [];
    const serial = this.nextQuery();
    const slots = this.slots;
    slots.n = 0;
    const filtered = must.length > 0;
    if (filtered) {
      this.markMust(must, serial);
      if (query.should.length === 0) {
        const passing: number[] = [];
        for (let s = 0; s < slots.n; s++) if (slots.must[s] === must.length) passing.push(slots.id[s]!);
        return this.pick(
          this.smallest(passing, query.size).sort((a, b) => this.byCustomerId(a, b)),
          query.size,
        );
      }
    } else if (query.should.length === 0) return [];
    const acc = this.acc;
    let clause = 0;
    for (const c of query.should) {
      const w = WEIGHT[c.match];
      const stamp = ++clause;
      this.visitClause(c, (ids) => {
        for (let i = 0; i < ids.length; i++) {
          const at = ids[i]! << 1;
          let s: number;
          if (acc[at] === serial) s = acc[at + 1]!;
          else if (filtered) continue;
          else s = this.newSlot(ids[i]!, at, serial);
          // Once per clause, however many of its terms hold the document.
          if (slots.clause[s] === stamp) continue;
          slots.clause[s] = stamp;
          if (filtered && slots.must[s] !== must.length) continue;
          slots.score[s] = Math.min(65_535, slots.score[s]! + w);
        }
      });
    }
    return this.pick(this.topBy(query.size), query.size);
  }

  // Gives document `id` (not yet seen in this query) the next slot; `at` is its place in `acc`.
  private newSlot(id: number, at: number, serial: number): number {
    const slots = this.slots;
    if (slots.n === slots.id.length) slots.grow();
    const s = slots.n++;
    this.acc[at] = serial;
    this.acc[at + 1] = s;
    slots.id[s] = id;
    slots.score[s] = 0;
    slots.clause[s] = 0;
    slots.must[s] = 0;
    return s;
  }

  // Counts, per document, the must clauses it passes, in order: clause i counts only documents that
  // passed every clause before it, so `must[slot] === clauses.length` means "passed all". Only
  // documents of the first clause get a slot; a should clause later skips every other document.
  private markMust(clauses: readonly RetrievalClause[], serial: number): void {
    const acc = this.acc;
    const slots = this.slots;
    clauses.forEach((clause, i) => {
      this.visitClause(clause, (ids) => {
        for (let k = 0; k < ids.length; k++) {
          const at = ids[k]! << 1;
          let s: number;
          if (acc[at] === serial) s = acc[at + 1]!;
          else if (i > 0) continue;
          else s = this.newSlot(ids[k]!, at, serial);
          if (slots.must[s] === i) slots.must[s] = i + 1;
        }
      });
    });
  }

  private visitClause(clause: RetrievalClause, visit: PostingVisitor): void {
    const index = this.fieldOf.get(clause.field);
    if (!index) return;
    for (const value of clause.values) {
      if (value.length === 0) continue;
      if (clause.match === "exact") index.exact(value, visit);
      else if (clause.match === "prefix") index.prefix(value, visit);
      else index.fuzzy(value, visit);
    }
  }

  // Selects the `size` best scored slots, ties by customerId (as the Elasticsearch adapter sorts),
  // without sorting everything: a histogram finds the cut-off score, a bounded heap picks among its ties.
  private topBy(size: number): number[] {
    const { n, score, id } = this.slots;
    let max = 0;
    let touched = 0;
    for (let s = 0; s < n; s++) {
      const sc = score[s]!;
      if (sc === 0) continue;
      touched++;
      if (sc > max) max = sc;
    }
    type Pick = { id: number; score: number };
    const byRank = (a: Pick, b: Pick) => b.score - a.score || this.byCustomerId(a.id, b.id);
    const picked: Pick[] = [];
    if (touched <= size) {
      for (let s = 0; s < n; s++) if (score[s]! > 0) picked.push({ id: id[s]!, score: score[s]! });
      return picked.sort(byRank).map((p) => p.id);
    }
    const counts = new Uint32Array(max + 1);
    for (let s = 0; s < n; s++) counts[score[s]!]!++;
    let above = 0;
    let cut = max;
    while (cut > 1 && above + counts[cut]! < size) above += counts[cut--]!;
    const ties: number[] = [];
    for (let s = 0; s < n; s++) {
      const sc = score[s]!;
      if (sc > cut) picked.push({ id: id[s]!, score: sc });
      else if (sc === cut) ties.push(id[s]!);
    }
    for (const t of this.smallest(ties, size - picked.length)) picked.push({ id: t, score: cut });
    return picked.sort(byRank).map((p) => p.id);
  }

  private byCustomerId(a: number, b: number): number {
    const ra = this.rank[a] ?? 0;
    const rb = this.rank[b] ?? 0;
    return ra > 0 && rb > 0 ? ra - rb : this.ids.compare(a, b);
  }

  /** The `k` ids with the smallest customerIds, via a max-heap of size k (O(n log k)). */
  private smallest(ids: readonly number[], k: number): number[] {
    if (ids.length <= k) return [...ids];
    const heap: number[] = [];
    const above = (i: number, j: number) => this.byCustomerId(heap[i]!, heap[j]!) > 0;
    const swap = (i: number, j: number) => {
      [heap[i], heap[j]] = [heap[j]!, heap[i]!];
    };
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let top = i;
        if (l < heap.length && above(l, top)) top = l;
        if (r < heap.length && above(r, top)) top = r;
        if (top === i) return;
        swap(i, top);
        i = top;
      }
    };
    for (const id of ids) {
      if (heap.length < k) {
        heap.push(id);
        for (let i = heap.length - 1; i > 0 && above(i, (i - 1) >> 1); i = (i - 1) >> 1)
          swap(i, (i - 1) >> 1);
      } else if (k > 0 && this.byCustomerId(id, heap[0]!) < 0) {
        heap[0] = id;
        down(0);
      }
    }
    return heap;
  }

  private pick(ids: readonly number[], size: number): string[] {
    const out: string[] = [];
    for (const id of ids) {
      const customerId = this.ids.customerId(id);
      if (customerId) out.push(customerId);
      if (out.length >= size) break;
    }
    return out;
  }

  private unindex(doc: IndexedKeys, id: number): void {
    eachTerm(doc, this.fields, id, removeTerm);
  }

  private nextQuery(): number {
    this.querySerial = (this.querySerial + 1) >>> 0;
    if (this.querySerial === 0) {
      this.acc.fill(0);
      this.querySerial = 1;
    }
    return this.querySerial;
  }

  private grow(needed: number): void {
    if (needed <= this.rank.length) return;
    const cap = Math.max(needed, this.rank.length * 2);
    const acc = new Uint32Array(2 * cap);
    acc.set(this.acc);
    const rank = new Uint32Array(cap);
    rank.set(this.rank);
    this.acc = acc;
    this.rank = rank;
  }
}

/**
 * The documents one query has touched, densely in the order first seen: document id, weighted score,
 * the last should clause that counted it (a clause counts once, however many of its terms match) and
 * how many must clauses it passed. Reused by every query; grows to the most documents one touched.
 */
class QuerySlots {
  n = 0;
  id = new Int32Array(1024);
  score = new Uint16Array(1024);
  clause = new Uint16Array(1024);
  must = new Uint8Array(1024);

  grow(): void {
    const cap = this.id.length * 2;
    const id = new Int32Array(cap);
    id.set(this.id);
    const score = new Uint16Array(cap);
    score.set(this.score);
    const clause = new Uint16Array(cap);
    clause.set(this.clause);
    const must = new Uint8Array(cap);
    must.set(this.must);
    Object.assign(this, { id, score, clause, must });
  }
}

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

// The accumulator word of a document: query stamp above, score below (capped at SCORE_MAX, far above
// what the weights of a query's clauses add up to).
const SCORE_BITS = 11;
const SCORE_MAX = (1 << SCORE_BITS) - 1;
const STAMP_MASK = 0xffff & ~SCORE_MAX;
const STAMPS = 1 << (16 - SCORE_BITS);

// A clause whose lists hold this many ids or more is summarised (scored once, reused).
const HEAVY_POSTINGS = 2000;
// Bounds: summaries kept (and the documents in them), keys remembered, clause lists remembered.
const MAX_SUMMARIES = 2000;
const MAX_SUMMARIES_DOCS = 4_000_000;
const MAX_SUMMARY_DOCS = 250_000;
// Making a summary over lists this long took ~22 ms at 1,000,000 customers ("Ahmed Smits Enschede").
const MAX_SUMMARY_POSTINGS = 60_000;
const MAX_SIGHTED = 20_000;
const MAX_CLAUSE_LISTS = 20_000;

// Below this many summary ids per document to look up, a walk along the summary beats sorting them.
const WALK_PER_LOOKUP = 32;

const setBit = (bits: Int32Array, id: number) => {
  bits[id >>> 5]! |= 1 << (id & 31);
};

const clauseKey = (c: RetrievalClause) => `${c.field}\u0000${c.match}\u0000${c.values.join("\u0001")}`;

function postingsIn(lists: readonly Int32Array[]): number {
  let n = 0;
  for (const ids of lists) n += ids.length;
  return n;
}

/**
 * What a set of clauses scores, per document they touch: `ids` ascending with their `scores`, and
 * `order` (positions) best first — score descending, then customerId — so a query takes its best
 * few without sorting again.
 */
class ClauseSummary {
  readonly ids: Int32Array;
  readonly scores: Uint16Array;
  readonly order: Int32Array;

  /** `ids`: the touched documents, ascending; their scores are read from `acc`. */
  constructor(ids: Int32Array, acc: Uint16Array, byCustomerId: (a: number, b: number) => number) {
    this.ids = ids;
    const n = this.ids.length;
    this.scores = new Uint16Array(n);
    let max = 0;
    for (let i = 0; i < n; i++) {
      const sc = acc[this.ids[i]!]! & SCORE_MAX;
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

/**
 * The in-memory inverted index of one generation of the embedded engine: customerId ↔ dense internal
 * id, one FieldIndex per DocField, and typed-array accumulators so a query costs the postings it
 * touches, never a scan of all documents.
 */
export class EmbeddedIndex {
  private readonly fields: AnyFieldIndex[] = DOC_FIELDS.map(newFieldIndex);
  private readonly fieldOf = new Map<DocField, AnyFieldIndex>(DOC_FIELDS.map((f, i) => [f, this.fields[i]!]));
  private readonly ids = new IdTable();
  // Two bytes per document, so that the accumulator of a million stays in a core's cache (a query
  // visits tens of thousands of postings at random): the query's stamp in the high bits (a document
  // stamped by an earlier query counts as 0) and its weighted score in the low SCORE_BITS.
  private acc = new Uint16Array(1024);
  private stamp = 0;
  // The documents this query touched, in the order first seen.
  private touched = new Int32Array(1024);
  private touchedCount = 0;
  // Bit sets over documents: counted by the current clause (a clause counts a document once, however
  // many of its terms hold it) and passing the must clauses so far; cleared after use.
  private seen = new Int32Array(32);
  private passing = new Int32Array(32);
  private passingNext = new Int32Array(32);
  private rank = new Uint32Array(1024);
  // Below this dense id every rank is the id + 1 (a restart loads the ids in customerId order, and
  // later ones sorting after them continue it): tie-breaks there compare ids without reading `rank`.
  private rankIsId = 0;
  // The highest rank given and its customerId: a later id sorting after it (UUIDv7 ids grow with
  // time, one delivery's ids in order) extends the ranks instead of falling back to string compares.
  private topRank = 0;
  private topRankedId = "";
  // Clause key → its postings lists; heavy-clause key → summary; keys asked for once; keys whose
  // clauses touch more documents than a summary may hold.
  private readonly clauseLists = new Map<string, Int32Array[]>();
  private readonly summaries = new Map<string, ClauseSummary>();
  private readonly sighted = new Set<string>();
  private readonly oversized = new Set<string>();
  private summaryDocs = 0;
  private readonly heavyPostings: number;
  private readonly walkPerLookup: number;
  private readonly maxSummaryDocs: number;
  private readonly maxSummaryPostings: number;

  /**
   * `heavyPostings`: from how many ids a clause is summarised; `walkPerLookup`: up to how many summary
   * ids per document to score a walk along the summary is taken; `maxSummaryDocs`: the most
   * documents one summary holds; `maxSummaryPostings`: the most ids its clauses' lists may hold (tests
   * set them to reach every path).
   */
  constructor(
    options: {
      heavyPostings?: number;
      walkPerLookup?: number;
      maxSummaryDocs?: number;
      maxSummaryPostings?: number;
    } = {},
  ) {
    this.heavyPostings = options.heavyPostings ?? HEAVY_POSTINGS;
    this.walkPerLookup = options.walkPerLookup ?? WALK_PER_LOOKUP;
    this.maxSummaryDocs = options.maxSummaryDocs ?? MAX_SUMMARY_DOCS;
    this.maxSummaryPostings = options.maxSummaryPostings ?? MAX_SUMMARY_POSTINGS;
  }

  get size(): number {
    return this.ids.size;
  }

  has(customerId: string): boolean {
    return this.ids.get(customerId) >= 0;
  }

  /** Indexes a document; the previous version, when given, is taken out first. */
  add(doc: IndexedKeys, previous?: IndexedKeys | null): void {
    this.forget();
    let id = this.ids.get(doc.customerId);
    if (id >= 0 && previous) this.unindex(previous, id);
    if (id < 0) {
      id = this.ids.add(doc.customerId);
      this.grow(this.ids.length);
      if (doc.customerId > this.topRankedId) {
        this.rank[id] = ++this.topRank;
        this.topRankedId = doc.customerId;
        if (id === this.rankIsId && this.topRank === id + 1) this.rankIsId++;
      }
    }
    eachTerm(doc, this.fields, id, addTerm);
  }

  /** Takes a document out; `doc` is its indexed version (its terms name the postings to clean). */
  remove(doc: IndexedKeys): void {
    const id = this.ids.get(doc.customerId);
    if (id < 0) return;
    this.forget();
    this.unindex(doc, id);
    // The dense id is retired, not reused: postings elsewhere can never point at a new customer.
    this.ids.retire(id);
  }

  /** Builds the typo indexes of the name, street and city fields and sorts the dictionaries. */
  seal(): void {
    this.forget();
    for (const [field, index] of this.fieldOf) {
      if (PREFIX_FIELDS.includes(field)) index.sortTerms();
      else index.seal();
      if (FUZZY_FIELDS.includes(field)) index.warm();
    }
    // Ranks of the customerIds known now turn tie-breaks into integer compares; ids added later
    // have rank 0 (unless they sort after every ranked id) and compare as strings, which orders them the same way.
    const ids = this.ids;
    const n = ids.length;
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

  /** customerIds of the best `size` candidates: most (weighted) should clauses first, then by customerId. */
  retrieve(query: RetrievalQuery): string[] {
    const must = query.must ?? [];
    if (query.should.length === 0 && must.length === 0) return [];
    const filtered = must.length > 0;
    // Clauses over long lists (a common surname and its typo and sound-alike neighbours) are scored
    // once per index version and kept as a summary; the rest is added to it per query.
    const lists = query.should.map((c) => this.listsOf(c));
    const heavy: number[] = [];
    for (let c = 0; c < lists.length; c++) if (postingsIn(lists[c]!) >= this.heavyPostings) heavy.push(c);
    const summary = heavy.length > 0 ? this.summaryOf(query.should, lists, heavy) : undefined;
    const tag = this.nextStamp();
    this.touchedCount = 0;
    const passed = filtered ? this.markMust(must) : [];
    if (filtered && query.should.length === 0) {
      const out = this.smallest(passed, query.size).sort((a, b) => this.byCustomerId(a, b));
      this.clearBits(this.passing, passed);
      return this.pick(out, query.size);
    }
    for (let c = 0; c < lists.length; c++) {
      if (summary && heavy.includes(c)) continue;
      this.accumulate(lists[c]!, WEIGHT[query.should[c]!.match], tag, filtered);
    }
    if (summary) {
      // Every passing document (filtered), or every document a light clause touched, gets its
      // summary score; unfiltered, of the summary's other documents only its best `size` can make
      // the cut, since each of them ranks below those on score or customerId.
      const light = this.touchedCount;
      if (summary.ids.length <= this.walkPerLookup * (filtered ? passed.length : light)) {
        // A walk along the summary, testing each id against a bit set of the documents concerned.
        const bits = filtered ? this.passing : this.seen;
        if (!filtered) for (let i = 0; i < light; i++) setBit(bits, this.touched[i]!);
        const { ids, scores } = summary;
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k]!;
          if ((bits[id >>> 5]! & (1 << (id & 31))) !== 0) this.addScore(id, scores[k]!, tag);
        }
        if (!filtered) this.clearBits(bits, this.touched.subarray(0, light));
      } else {
        const looked = filtered ? Int32Array.from(passed) : this.touched.slice(0, light);
        const scores = summary.scoresOf(looked.sort());
        for (let i = 0; i < looked.length; i++) this.addScore(looked[i]!, scores[i]!, tag);
      }
    }
    if (summary && !filtered) {
      // The summary's best documents no light clause touched, up to `size` of them.
      let added = 0;
      for (let k = 0; k < summary.order.length && added < query.size; k++) {
        const at = summary.order[k]!;
        const id = summary.ids[at]!;
        if ((this.acc[id]! & STAMP_MASK) === tag) continue;
        this.addScore(id, summary.scores[at]!, tag);
        added++;
      }
    }
    if (filtered) this.clearBits(this.passing, passed);
    return this.pick(this.topBy(query.size), query.size);
  }

  // Adds `w` (> 0) to document `id`'s score in this query, touching it if new.
  private addScore(id: number, w: number, tag: number): void {
    if (w === 0) return;
    const v = this.acc[id]!;
    if ((v & STAMP_MASK) === tag) this.acc[id] = tag | Math.min(SCORE_MAX, (v & SCORE_MAX) + w);
    else {
      this.acc[id] = tag | Math.min(SCORE_MAX, w);
      this.touch(id);
    }
  }

  // Adds one clause's weight to every document its lists hold, once per document (only to those
  // passing the must clauses when `filtered`). The accumulator update is addScore's, written out:
  // calling addScore here cost 3-8 % more CPU a query (search-ab, both orders, 2-vCPU Xeon, 2026-12-01).
  private accumulate(lists: readonly Int32Array[], w: number, tag: number, filtered: boolean): void {
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
    if (once) for (const ids of lists) this.clearBits(seen, ids);
  }

  // The summary of the heavy clauses of a query: made on the second query asking for the same
  // clauses since the index last changed (a one-off pays no more than it did without summaries).
  private summaryOf(
    clauses: readonly RetrievalClause[],
    lists: readonly (readonly Int32Array[])[],
    heavy: readonly number[],
  ): ClauseSummary | undefined {
    let key = "";
    for (const c of heavy) key += `${clauseKey(clauses[c]!)}\u0002`;
    const known = this.summaries.get(key);
    if (known) {
      // Most recently used last, so eviction takes the least recently used.
      this.summaries.delete(key);
      this.summaries.set(key, known);
      return known;
    }
    if (!this.sighted.has(key)) {
      if (this.sighted.size >= MAX_SIGHTED) this.sighted.clear();
      this.sighted.add(key);
      return undefined;
    }
    // Clauses found to touch too many documents once are not scored twice per query again; clauses
    // over very long lists (a big city, a common first name with its sound-alikes) are not tried.
    if (this.oversized.has(key)) return undefined;
    let postings = 0;
    for (const c of heavy) postings += postingsIn(lists[c]!);
    if (postings > this.maxSummaryPostings) return undefined;
    const tag = this.nextStamp();
    this.touchedCount = 0;
    for (const c of heavy) this.accumulate(lists[c]!, WEIGHT[clauses[c]!.match], tag, false);
    const n = this.touchedCount;
    if (n > this.maxSummaryDocs) {
      if (this.oversized.size >= MAX_SIGHTED) this.oversized.clear();
      this.oversized.add(key);
      return undefined;
    }
    const summary = new ClauseSummary(this.ascending(this.touched, n), this.acc, (a, b) =>
      this.byCustomerId(a, b),
    );
    this.summaries.set(key, summary);
    this.summaryDocs += n;
    for (const [k, old] of this.summaries) {
      if (this.summaryDocs <= MAX_SUMMARIES_DOCS && this.summaries.size <= MAX_SUMMARIES) break;
      this.summaries.delete(k);
      this.summaryDocs -= old.ids.length;
    }
    return summary;
  }

  // The first `n` of `ids` (distinct), ascending: set in a bit set and read back word by word, which
  // for thousands of ids costs less than a sort (the bit set is left clear).
  private ascending(ids: Int32Array, n: number): Int32Array {
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

  // Postings views and summaries describe the index as it is: any change drops them.
  private forget(): void {
    const empty = this.summaries.size + this.sighted.size + this.oversized.size + this.clauseLists.size === 0;
    if (empty) return;
    this.summaries.clear();
    this.sighted.clear();
    this.oversized.clear();
    this.clauseLists.clear();
    this.summaryDocs = 0;
  }

  // The next query's stamp (in place, in the high bits); every STAMPS queries the accumulator is
  // wiped, so an old stamp can never be mistaken for the current one.
  private nextStamp(): number {
    this.stamp++;
    if (this.stamp === STAMPS) {
      this.acc.fill(0);
      this.stamp = 1;
    }
    return this.stamp << SCORE_BITS;
  }

  private touch(id: number): void {
    if (this.touchedCount === this.touched.length) {
      const grown = new Int32Array(this.touched.length * 2);
      grown.set(this.touched);
      this.touched = grown;
    }
    this.touched[this.touchedCount++] = id;
  }

  // The postings a clause visits, as lists of their own (a single-id posting is handed over in a
  // shared one-element view, so it is copied); remembered until the index changes, since a typo
  // clause looks its neighbourhood up term by term.
  private listsOf(clause: RetrievalClause): Int32Array[] {
    const key = clauseKey(clause);
    const known = this.clauseLists.get(key);
    if (known) return known;
    const lists: Int32Array[] = [];
    this.visitClause(clause, (ids) => {
      lists.push(ids.length === 1 ? Int32Array.of(ids[0]!) : ids);
    });
    if (this.clauseLists.size >= MAX_CLAUSE_LISTS) this.clauseLists.clear();
    this.clauseLists.set(key, lists);
    return lists;
  }

  private clearBits(bits: Int32Array, ids: ArrayLike<number>): void {
    for (let i = 0; i < ids.length; i++) bits[ids[i]! >>> 5] = 0;
  }

  // The documents passing every must clause, each once, and their bits in `passing`: clause i keeps
  // only documents that passed every clause before it.
  private markMust(clauses: readonly RetrievalClause[]): number[] {
    let passed: number[] = [];
    for (const [i, clause] of clauses.entries()) {
      const before = this.passing;
      const now = this.passingNext;
      const kept: number[] = [];
      for (const ids of this.listsOf(clause)) {
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k]!;
          const word = id >>> 5;
          const bit = 1 << (id & 31);
          if ((now[word]! & bit) !== 0 || (i > 0 && (before[word]! & bit) === 0)) continue;
          now[word]! |= bit;
          kept.push(id);
        }
      }
      this.clearBits(before, passed);
      this.passing = now;
      this.passingNext = before;
      passed = kept;
    }
    return passed;
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

  // Selects the `size` best touched documents by score, ties by customerId (as the Elasticsearch
  // adapter sorts), without sorting everything: a histogram finds the cut-off score, a bounded heap
  // picks among its ties.
  private topBy(size: number): number[] {
    const { touched, touchedCount: n, acc } = this;
    const score = new Uint16Array(n);
    let max = 0;
    // Every touched document carries this query's stamp.
    for (let i = 0; i < n; i++) {
      const sc = acc[touched[i]!]! & SCORE_MAX;
      score[i] = sc;
      if (sc > max) max = sc;
    }
    type Pick = { id: number; score: number };
    const byRank = (a: Pick, b: Pick) => b.score - a.score || this.byCustomerId(a.id, b.id);
    const picked: Pick[] = [];
    if (n <= size) {
      for (let i = 0; i < n; i++) picked.push({ id: touched[i]!, score: score[i]! });
      return picked.sort(byRank).map((p) => p.id);
    }
    const counts = new Uint32Array(max + 1);
    for (let i = 0; i < n; i++) counts[score[i]!]!++;
    let above = 0;
    let cut = max;
    while (cut > 1 && above + counts[cut]! < size) above += counts[cut--]!;
    const ties: number[] = [];
    for (let i = 0; i < n; i++) {
      const sc = score[i]!;
      if (sc > cut) picked.push({ id: touched[i]!, score: sc });
      else if (sc === cut) ties.push(touched[i]!);
    }
    for (const t of this.smallest(ties, size - picked.length)) picked.push({ id: t, score: cut });
    return picked.sort(byRank).map((p) => p.id);
  }

  private byCustomerId(a: number, b: number): number {
    if (a < this.rankIsId && b < this.rankIsId) return a - b;
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

  private grow(needed: number): void {
    if (needed <= this.rank.length) return;
    const cap = Math.max(needed, this.rank.length * 2);
    const acc = new Uint16Array(cap);
    acc.set(this.acc);
    const rank = new Uint32Array(cap);
    rank.set(this.rank);
    this.acc = acc;
    this.rank = rank;
    // Bit sets are all clear between queries.
    const words = Math.ceil(cap / 32);
    this.seen = new Int32Array(words);
    this.passing = new Int32Array(words);
    this.passingNext = new Int32Array(words);
  }
}

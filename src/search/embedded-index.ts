import { Accumulator, clearBits, setBit } from "./embedded-accumulator.ts";
import { ClauseSummary } from "./embedded-clause-summary.ts";
import {
  type AnyFieldIndex,
  DOC_FIELDS,
  eachTerm,
  FUZZY_FIELDS,
  type IndexedKeys,
  newFieldIndex,
  PREFIX_FIELDS,
} from "./embedded-doc-fields.ts";
import { FieldIndex, type PostingVisitor } from "./embedded-field-index.ts";
import { IdRanks } from "./embedded-id-ranks.ts";
import { IdTable } from "./embedded-id-table.ts";
import { SummaryCache } from "./embedded-summary-cache.ts";
import { smallest, topBy } from "./embedded-top-k.ts";
import type { DocField, RetrievalClause, RetrievalQuery } from "./search-engine.ts";

const addTerm = (index: AnyFieldIndex, term: string, id: number) => index.add(term, id);
const removeTerm = (index: AnyFieldIndex, term: string, id: number) => index.remove(term, id);

// Clause weights decide which candidates fill `size` when more match: exact beats prefix beats typo.
const WEIGHT = { exact: 3, prefix: 2, fuzzy: 1 } as const;

// A clause whose lists hold this many ids or more is summarised (scored once, reused).
const HEAVY_POSTINGS = 2000;
// The most documents one summary holds.
const MAX_SUMMARY_DOCS = 250_000;
// Making a summary over lists this long took ~22 ms at 1,000,000 customers ("Ahmed Smits Enschede").
const MAX_SUMMARY_POSTINGS = 60_000;
// Clause lists remembered.
const MAX_CLAUSE_LISTS = 20_000;

// Below this many summary ids per document to look up, a walk along the summary beats sorting them.
const WALK_PER_LOOKUP = 32;

const clauseKey = (c: RetrievalClause) => `${c.field}\u0000${c.match}\u0000${c.values.join("\u0001")}`;

function postingsIn(lists: readonly Int32Array[]): number {
  let n = 0;
  for (const ids of lists) n += ids.length;
  return n;
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
  private readonly ranks = new IdRanks(this.ids);
  private readonly scratch = new Accumulator();
  // Clause key → its postings lists, and the summaries of heavy clauses.
  private readonly clauseLists = new Map<string, Int32Array[]>();
  private readonly summaries: SummaryCache;
  private readonly heavyPostings: number;
  private readonly walkPerLookup: number;
  private readonly maxSummaryDocs: number;
  private readonly byCustomerId = (a: number, b: number) => this.ranks.compare(a, b);

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
    this.summaries = new SummaryCache(options.maxSummaryPostings ?? MAX_SUMMARY_POSTINGS);
  }

  get size(): number {
    return this.ids.size;
  }

  has(customerId: string): boolean {
    return this.ids.get(customerId) >= 0;
  }

  /** The `size` most common values of a field looked up by prefix or typo (`city`), most common first. */
  topValues(field: DocField, size: number): Array<{ value: string; count: number }> {
    const index = this.fieldOf.get(field);
    if (!(index instanceof FieldIndex)) return [];
    return index
      .counts()
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
      .slice(0, size);
  }

  /** Indexes a document; the previous version, when given, is taken out first. */
  add(doc: IndexedKeys, previous?: IndexedKeys | null): void {
    this.forget();
    let id = this.ids.get(doc.customerId);
    if (id >= 0 && previous) eachTerm(previous, this.fields, id, removeTerm);
    if (id < 0) {
      id = this.ids.add(doc.customerId);
      this.scratch.grow(this.ids.length);
      this.ranks.grow(this.ids.length);
      this.ranks.added(id, doc.customerId);
    }
    eachTerm(doc, this.fields, id, addTerm);
  }

  /** Takes a document out; `doc` is its indexed version (its terms name the postings to clean). */
  remove(doc: IndexedKeys): void {
    const id = this.ids.get(doc.customerId);
    if (id < 0) return;
    this.forget();
    eachTerm(doc, this.fields, id, removeTerm);
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
    this.ranks.rankAll();
  }

  /** customerIds of the best `size` candidates: most (weighted) should clauses first, then by customerId. */
  retrieve(query: RetrievalQuery): string[] {
    const must = query.must ?? [];
    if (query.should.length === 0 && must.length === 0) return [];
    const filtered = must.length > 0;
    const s = this.scratch;
    // Clauses over long lists (a common surname and its typo and sound-alike neighbours) are scored
    // once per index version and kept as a summary; the rest is added to it per query.
    const lists = query.should.map((c) => this.listsOf(c));
    const heavy: number[] = [];
    for (let c = 0; c < lists.length; c++) if (postingsIn(lists[c]!) >= this.heavyPostings) heavy.push(c);
    const summary = heavy.length > 0 ? this.summaryOf(query.should, lists, heavy) : undefined;
    const tag = s.begin();
    const passed = filtered ? this.markMust(must) : [];
    if (filtered && query.should.length === 0) {
      const out = smallest(passed, query.size, this.byCustomerId).sort(this.byCustomerId);
      clearBits(s.passing, passed);
      return this.pick(out, query.size);
    }
    for (let c = 0; c < lists.length; c++) {
      if (summary && heavy.includes(c)) continue;
      s.accumulate(lists[c]!, WEIGHT[query.should[c]!.match], tag, filtered);
    }
    if (summary) {
      // Every passing document (filtered), or every document a light clause touched, gets its
      // summary score; unfiltered, of the summary's other documents only its best `size` can make
      // the cut, since each of them ranks below those on score or customerId.
      const light = s.touchedCount;
      if (summary.ids.length <= this.walkPerLookup * (filtered ? passed.length : light)) {
        // A walk along the summary, testing each id against a bit set of the documents concerned.
        const bits = filtered ? s.passing : s.seen;
        if (!filtered) for (let i = 0; i < light; i++) setBit(bits, s.touched[i]!);
        const { ids, scores } = summary;
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k]!;
          if ((bits[id >>> 5]! & (1 << (id & 31))) !== 0) s.addScore(id, scores[k]!, tag);
        }
        if (!filtered) clearBits(bits, s.touched.subarray(0, light));
      } else {
        const looked = filtered ? Int32Array.from(passed) : s.touched.slice(0, light);
        const scores = summary.scoresOf(looked.sort());
        for (let i = 0; i < looked.length; i++) s.addScore(looked[i]!, scores[i]!, tag);
      }
    }
    if (summary && !filtered) {
      // The summary's best documents no light clause touched, up to `size` of them.
      let added = 0;
      for (let k = 0; k < summary.order.length && added < query.size; k++) {
        const at = summary.order[k]!;
        const id = summary.ids[at]!;
        if (s.has(id, tag)) continue;
        s.addScore(id, summary.scores[at]!, tag);
        added++;
      }
    }
    if (filtered) clearBits(s.passing, passed);
    return this.pick(topBy(s, query.size, this.byCustomerId), query.size);
  }

  // The summary of the heavy clauses of a query, when there is one to use.
  private summaryOf(
    clauses: readonly RetrievalClause[],
    lists: readonly (readonly Int32Array[])[],
    heavy: readonly number[],
  ): ClauseSummary | undefined {
    let key = "";
    let postings = 0;
    for (const c of heavy) {
      key += `${clauseKey(clauses[c]!)}\u0002`;
      postings += postingsIn(lists[c]!);
    }
    return this.summaries.get(key, postings, () => {
      const s = this.scratch;
      const tag = s.begin();
      for (const c of heavy) s.accumulate(lists[c]!, WEIGHT[clauses[c]!.match], tag, false);
      const n = s.touchedCount;
      if (n > this.maxSummaryDocs) return null;
      return new ClauseSummary(s.ascending(s.touched, n), (id) => s.scoreOf(id, tag), this.byCustomerId);
    });
  }

  // Postings views and summaries describe the index as it is: any change drops them.
  private forget(): void {
    if (this.summaries.empty && this.clauseLists.size === 0) return;
    this.summaries.clear();
    this.clauseLists.clear();
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

  // The documents passing every must clause, each once, and their bits in `passing`: clause i keeps
  // only documents that passed every clause before it.
  private markMust(clauses: readonly RetrievalClause[]): number[] {
    const s = this.scratch;
    let passed: number[] = [];
    for (const [i, clause] of clauses.entries()) {
      const before = s.passing;
      const now = s.passingNext;
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
      clearBits(before, passed);
      s.passing = now;
      s.passingNext = before;
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

  private pick(ids: readonly number[], size: number): string[] {
    const out: string[] = [];
    for (const id of ids) {
      const customerId = this.ids.customerId(id);
      if (customerId) out.push(customerId);
      if (out.length >= size) break;
    }
    return out;
  }
}

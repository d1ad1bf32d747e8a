import { editDistance } from "./similarity.ts";

/** Edit distance a fuzzy clause allows for a value of this length (Elasticsearch's `AUTO`). */
export function autoFuzziness(length: number): number {
  if (length <= 2) return 0;
  return length <= 5 ? 1 : 2;
}

/** Every string reachable from `word` by deleting up to `depth` letters (the word itself included). */
function deletions(word: string, depth: number, into = new Set<string>()): Set<string> {
  into.add(word);
  if (depth === 0 || word.length <= 1) return into;
  for (let i = 0; i < word.length; i++) {
    const shorter = word.slice(0, i) + word.slice(i + 1);
    if (!into.has(shorter)) deletions(shorter, depth - 1, into);
  }
  return into;
}

// A query of length ≥ 6 may reach a 4-letter term in two edits, so terms keep two levels of deletions.
const termDepth = (length: number) => (length >= 4 ? 2 : length >= 2 ? 1 : 0);

// Below this many unsorted new terms a prefix scan of them is cheaper than merging them in.
const PENDING_LIMIT = 4096;

/** Postings visitor: the internal doc ids of one term (a view, valid only during the call). */
export type PostingVisitor = (ids: Int32Array) => void;

/**
 * A term's postings: a lone id as a plain number (most terms of phones, e-mail addresses and policy
 * numbers have one customer, and a number costs no allocation), otherwise an Int32Array whose slot 0
 * holds the count and slots 1..count the ids, grown by half when full.
 */
type Posting = number | Int32Array;

/** Variant → the term(s) it was deleted from; a lone term is kept unwrapped. */
type Variants = Map<string, string | string[]>;

/**
 * One DocField's in-memory index: postings (term → internal doc ids), a sorted term dictionary for
 * prefixes (binary search) and, once a fuzzy clause needs it, a deletion neighbourhood
 * (SymSpell-style: deletion variant → terms) so typo lookups never scan the dictionary.
 */
export class FieldIndex {
  private readonly postings = new Map<string, Posting>();
  private readonly lone = new Int32Array(1);
  // The sorted dictionary exists once a prefix lookup (or `sortTerms`) asks for it; fields only ever
  // looked up exactly (phones, e-mail, policy numbers) never pay for sorting a million terms.
  private sorted: string[] | undefined;
  private pending: string[] = [];
  private variants: Variants | undefined;

  /** Number of distinct terms (with or without postings left). */
  get terms(): number {
    return this.postings.size;
  }

  add(term: string, id: number): void {
    const list = this.postings.get(term);
    if (list === undefined) {
      this.postings.set(term, id);
      if (this.sorted) this.pending.push(term);
      if (this.variants) this.addVariants(term);
    } else if (typeof list === "number") {
      const grown = new Int32Array(4);
      grown[0] = 2;
      grown[1] = list;
      grown[2] = id;
      this.postings.set(term, grown);
    } else {
      const n = list[0]! + 1;
      if (n < list.length) {
        list[0] = n;
        list[n] = id;
      } else {
        const grown = new Int32Array(n + (n >> 1) + 1);
        grown.set(list);
        grown[0] = n;
        grown[n] = id;
        this.postings.set(term, grown);
      }
    }
  }

  remove(term: string, id: number): void {
    const list = this.postings.get(term);
    if (list === undefined) return;
    // The term stays in the dictionaries; a term without postings simply matches nothing.
    if (typeof list === "number") {
      if (list === id) this.postings.set(term, new Int32Array(1));
      return;
    }
    const n = list[0]!;
    for (let at = n; at >= 1; at--) {
      if (list[at] !== id) continue;
      list.copyWithin(at, at + 1, n + 1);
      list[0] = n - 1;
      return;
    }
  }

  /** Every term that documents still hold, with how many hold it. */
  counts(): Array<{ value: string; count: number }> {
    const out: Array<{ value: string; count: number }> = [];
    for (const [value, list] of this.postings) {
      const count = typeof list === "number" ? 1 : list[0]!;
      if (count > 0) out.push({ value, count });
    }
    return out;
  }

  /** Calls `visit` with the postings of `term`. */
  exact(term: string, visit: PostingVisitor): void {
    const list = this.postings.get(term);
    if (list === undefined) return;
    if (typeof list === "number") {
      this.lone[0] = list;
      visit(this.lone);
    } else if (list[0]! > 0) visit(list.subarray(1, list[0]! + 1));
  }

  /** Calls `visit` with the postings of every term starting with `prefix`. */
  prefix(prefix: string, visit: PostingVisitor): void {
    if (this.pending.length > PENDING_LIMIT || !this.sorted) this.mergePending();
    const terms = this.sorted!;
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (terms[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < terms.length && terms[i]!.startsWith(prefix); i++) this.exact(terms[i]!, visit);
    for (const t of this.pending) if (t.startsWith(prefix)) this.exact(t, visit);
  }

  /** Calls `visit` with the postings of every term within `AUTO` edit distance of `value`. */
  fuzzy(value: string, visit: PostingVisitor): void {
    const max = autoFuzziness(value.length);
    if (max === 0) {
      this.exact(value, visit);
      return;
    }
    const variants = this.variants ?? this.buildVariants();
    const seen = new Set<string>();
    const check = (term: string) => {
      if (seen.has(term)) return;
      seen.add(term);
      if (editDistance(value, term, max) <= max) this.exact(term, visit);
    };
    for (const v of deletions(value, max)) {
      const terms = variants.get(v);
      if (terms === undefined) continue;
      if (typeof terms === "string") check(terms);
      else for (const term of terms) check(term);
    }
  }

  /** Builds the deletion neighbourhood now rather than on the first fuzzy query. */
  warm(): void {
    this.variants ??= this.buildVariants();
  }

  private buildVariants(): Variants {
    this.variants = new Map();
    for (const term of this.postings.keys()) this.addVariants(term);
    return this.variants;
  }

  private addVariants(term: string): void {
    const variants = this.variants!;
    for (const v of deletions(term, termDepth(term.length))) {
      const list = variants.get(v);
      if (list === undefined) variants.set(v, term);
      else if (typeof list === "string") variants.set(v, [list, term]);
      else list.push(term);
    }
  }

  private mergePending(): void {
    if (!this.sorted) {
      this.sorted = [...this.postings.keys()].sort();
      this.pending = [];
      return;
    }
    const a = this.sorted;
    const b = this.pending.sort();
    this.pending = [];
    if (b.length === 0) return;
    if (a.length === 0) {
      this.sorted = b;
      return;
    }
    // A linear merge keeps incremental growth O(n) per merge instead of re-sorting the dictionary.
    const out = new Array<string>(a.length + b.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
    while (i < a.length) out[k++] = a[i++]!;
    while (j < b.length) out[k++] = b[j++]!;
    this.sorted = out;
  }

  /** Sorts the dictionary now (once, after a bulk load) rather than on the first prefix lookup. */
  sortTerms(): void {
    this.mergePending();
  }

  /** Merges terms added since the dictionary was sorted, if it was. */
  seal(): void {
    if (this.sorted) this.mergePending();
  }
}

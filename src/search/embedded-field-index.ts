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

/**
 * One DocField's in-memory index: postings (term → internal doc ids), a sorted term dictionary for
 * prefixes (binary search) and, once a fuzzy clause needs it, a deletion neighbourhood
 * (SymSpell-style: deletion variant → terms) so typo lookups never scan the dictionary.
 */
export class FieldIndex {
  readonly postings = new Map<string, number[]>();
  private sorted: string[] = [];
  private pending: string[] = [];
  private variants: Map<string, string[]> | undefined;

  add(term: string, id: number): void {
    const list = this.postings.get(term);
    if (list) {
      list.push(id);
      return;
    }
    this.postings.set(term, [id]);
    this.pending.push(term);
    if (this.variants) this.addVariants(term);
  }

  remove(term: string, id: number): void {
    const list = this.postings.get(term);
    if (!list) return;
    const at = list.lastIndexOf(id);
    if (at >= 0) list.splice(at, 1);
    // The term stays in the dictionaries; a term without postings simply matches nothing.
  }

  /** Calls `visit` with the postings of `term`. */
  exact(term: string, visit: (ids: readonly number[]) => void): void {
    const list = this.postings.get(term);
    if (list && list.length > 0) visit(list);
  }

  /** Calls `visit` with the postings of every term starting with `prefix`. */
  prefix(prefix: string, visit: (ids: readonly number[]) => void): void {
    if (this.pending.length > PENDING_LIMIT) this.mergePending();
    const terms = this.sorted;
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
  fuzzy(value: string, visit: (ids: readonly number[]) => void): void {
    const max = autoFuzziness(value.length);
    if (max === 0) {
      this.exact(value, visit);
      return;
    }
    const variants = this.variants ?? this.buildVariants();
    const seen = new Set<string>();
    for (const v of deletions(value, max)) {
      for (const term of variants.get(v) ?? []) {
        if (seen.has(term)) continue;
        seen.add(term);
        if (editDistance(value, term, max) <= max) this.exact(term, visit);
      }
    }
  }

  /** Builds the deletion neighbourhood now rather than on the first fuzzy query. */
  warm(): void {
    this.variants ??= this.buildVariants();
  }

  private buildVariants(): Map<string, string[]> {
    this.variants = new Map();
    for (const term of this.postings.keys()) this.addVariants(term);
    return this.variants;
  }

  private addVariants(term: string): void {
    const variants = this.variants!;
    for (const v of deletions(term, termDepth(term.length))) {
      const list = variants.get(v);
      if (list) list.push(term);
      else variants.set(v, [term]);
    }
  }

  private mergePending(): void {
    const a = this.sorted;
    const b = this.pending.sort();
    this.pending = [];
    if (b.length === 0) return;
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

  /** Sorts the dictionary once after a bulk load. */
  seal(): void {
    this.mergePending();
  }
}

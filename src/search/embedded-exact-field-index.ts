import { autoFuzziness, type PostingVisitor } from "./embedded-field-index.ts";
import { PostingStore } from "./embedded-postings.ts";
import { type TermHash, TermTable } from "./embedded-term-table.ts";
import { editDistance } from "./similarity.ts";

/**
 * The index of a field the search service only looks up exactly (phones, e-mail, policy numbers,
 * postcode, birth date, house numbers…): millions of near-unique terms, so terms live in a TermTable
 * (text in one byte arena) and postings in a PostingStore instead of a Map of strings. Answers are
 * the same as FieldIndex's; prefix and typo lookups, which no search clause asks of these fields,
 * scan every term instead of keeping a sorted dictionary or a deletion neighbourhood.
 */
export class ExactFieldIndex {
  private readonly table: TermTable;
  private readonly postings = new PostingStore();

  constructor(options: { hash?: TermHash } = {}) {
    this.table = new TermTable({ hash: options.hash });
  }

  /** Number of distinct terms (with or without postings left). */
  get terms(): number {
    return this.table.size;
  }

  /** Bytes of the typed arrays behind this field, for memory figures. */
  get byteSize(): number {
    return this.table.byteSize + this.postings.byteSize;
  }

  add(term: string, id: number): void {
    this.postings.add(this.table.intern(term), id);
  }

  remove(term: string, id: number): void {
    const t = this.table.find(term);
    // The term stays in the table; a term without postings simply matches nothing.
    if (t >= 0) this.postings.remove(t, id);
  }

  /** Calls `visit` with the postings of `term`. */
  exact(term: string, visit: PostingVisitor): void {
    const t = this.table.find(term);
    if (t >= 0) this.postings.visit(t, visit);
  }

  /** Calls `visit` with the postings of every term starting with `prefix` (a scan of all terms). */
  prefix(prefix: string, visit: PostingVisitor): void {
    this.table.eachWithPrefix(prefix, (t) => this.postings.visit(t, visit));
  }

  /** Calls `visit` with the postings of every term within `AUTO` edit distance of `value` (a scan). */
  fuzzy(value: string, visit: PostingVisitor): void {
    const max = autoFuzziness(value.length);
    if (max === 0) {
      this.exact(value, visit);
      return;
    }
    for (let t = 0; t < this.table.size; t++)
      if (editDistance(value, this.table.text(t), max) <= max) this.postings.visit(t, visit);
  }

  /** Nothing to build: kept so every field index answers the same calls. */
  warm(): void {}

  /** Nothing to sort: prefix lookups scan. */
  sortTerms(): void {}

  /** Nothing to merge. */
  seal(): void {}
}

import type { ClauseSummary } from "./embedded-clause-summary.ts";

// Bounds: summaries kept (and the documents in them), keys remembered.
const MAX_SUMMARIES = 2000;
const MAX_SUMMARIES_DOCS = 4_000_000;
const MAX_SIGHTED = 20_000;

/**
 * The summaries of heavy clauses one index version keeps, least recently used evicted first. A
 * summary is made on the second query asking for the same clauses (a one-off pays no more than it
 * would without summaries); clauses found to touch too many documents are not tried again.
 */
export class SummaryCache {
  private readonly summaries = new Map<string, ClauseSummary>();
  private readonly sighted = new Set<string>();
  private readonly oversized = new Set<string>();
  private docs = 0;

  /** `maxPostings`: the most ids the clauses' lists may hold for a summary to be tried. */
  private readonly maxPostings: number;

  constructor(maxPostings: number) {
    this.maxPostings = maxPostings;
  }

  /**
   * The summary under `key`, made by `make` (null: too many documents) when this key was asked for
   * before; undefined when there is none to use.
   */
  get(key: string, postings: number, make: () => ClauseSummary | null): ClauseSummary | undefined {
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
    if (this.oversized.has(key) || postings > this.maxPostings) return undefined;
    const summary = make();
    if (!summary) {
      if (this.oversized.size >= MAX_SIGHTED) this.oversized.clear();
      this.oversized.add(key);
      return undefined;
    }
    this.summaries.set(key, summary);
    this.docs += summary.ids.length;
    for (const [k, old] of this.summaries) {
      if (this.docs <= MAX_SUMMARIES_DOCS && this.summaries.size <= MAX_SUMMARIES) break;
      this.summaries.delete(k);
      this.docs -= old.ids.length;
    }
    return summary;
  }

  /** Whether nothing is kept (so clearing can be skipped). */
  get empty(): boolean {
    return this.summaries.size + this.sighted.size + this.oversized.size === 0;
  }

  /** Drops everything: the index changed. */
  clear(): void {
    this.summaries.clear();
    this.sighted.clear();
    this.oversized.clear();
    this.docs = 0;
  }
}

import type { ParsedQuery } from "./query-parse.ts";
import { nameKinds, type Scored, scoreCandidate } from "./scorer.ts";
import type { CustomerDoc } from "./search-engine.ts";

/** A scored candidate, ready to show. */
export interface Ranked extends Scored {
  doc: CustomerDoc;
}

/** Score spread (points) over which two candidates count as hard to tell apart. */
export const AMBIGUITY_SPREAD = 1.5;

/**
 * Scores and orders candidates best first (score desc, then customerId asc, so ties are
 * deterministic) and keeps `limit`. A result's confidence is its absolute confidence, capped by its
 * share against every other candidate: twins who match equally well are never both "certain".
 */
export function rankCandidates(q: ParsedQuery, docs: readonly CustomerDoc[], limit: number): Ranked[] {
  const seen = new Set<string>();
  const ranked: Ranked[] = [];
  const kinds = nameKinds(q);
  for (const doc of docs) {
    if (seen.has(doc.customerId)) continue;
    seen.add(doc.customerId);
    const scored = scoreCandidate(q, doc, kinds);
    ranked.push({ doc, score: scored.score, confidence: scored.confidence, matches: scored.matches });
  }
  ranked.sort(
    (a, b) =>
      b.score - a.score ||
      (a.doc.customerId < b.doc.customerId ? -1 : a.doc.customerId > b.doc.customerId ? 1 : 0),
  );
  const top = ranked.slice(0, limit);
  for (const r of top) {
    let sum = 0;
    // Best first: once a candidate is 12 spreads below, all after it are too (their share is nil).
    for (const other of ranked) {
      const d = (other.score - r.score) / AMBIGUITY_SPREAD;
      if (d <= -12) break;
      sum += Math.exp(d);
    }
    r.confidence = Math.round(Math.min(r.confidence, 1 / sum) * 1000) / 1000;
  }
  return top;
}

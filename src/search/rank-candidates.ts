import { confidenceOf } from "./confidence.ts";
import type { ParsedQuery } from "./query-parse.ts";
import { nameKinds, type Scored, scoreCandidate } from "./scorer.ts";
import type { CustomerDoc } from "./search-engine.ts";

/** A scored candidate, ready to show. */
export interface Ranked extends Scored {
  doc: CustomerDoc;
}

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
    ranked.push({ doc, score: scored.score, confidence: 0, matches: scored.matches });
  }
  ranked.sort(
    (a, b) =>
      b.score - a.score ||
      (a.doc.customerId < b.doc.customerId ? -1 : a.doc.customerId > b.doc.customerId ? 1 : 0),
  );
  const scores = ranked.map((r) => r.score);
  const top = ranked.slice(0, limit);
  top.forEach((r, i) => {
    r.confidence = confidenceOf(scores, i);
  });
  return top;
}

import { foldedWords } from "../domain/normalise/text.ts";
import type { CustomerDoc, DocField, RetrievalClause, SearchEngine } from "./search-engine.ts";
import { editDistance } from "./similarity.ts";

const TEXT_FIELDS: DocField[] = [
  "surnameParts",
  "firstNames",
  "companyWords",
  "street",
  "city",
  "tussenvoegsel",
];
const KEYWORD_FIELDS: DocField[] = [
  "postcodeArea",
  "houseNumber",
  "houseNumberBase",
  "policyNumbers",
  "email",
];

// Elasticsearch's `fuzziness: AUTO`: 0 edits up to 2 characters, 1 up to 5, else 2.
const auto = (len: number) => (len <= 2 ? 0 : len <= 5 ? 1 : 2);

/** The standard-analyzer tokens of every field of a document, as a plain full-text index would hold them. */
function docTokens(doc: CustomerDoc): string[] {
  const v = doc.view;
  const text = [
    v.displayName,
    v.firstNames,
    v.surname,
    v.tussenvoegsel,
    v.companyName,
    v.birthDate,
    v.address.street,
    v.address.houseNumber,
    v.address.houseNumberAddition,
    v.address.postcode,
    v.address.city,
    v.email,
    ...v.phones,
    ...doc.policies.map((p) => p.policyNumber),
  ];
  return foldedWords(text.filter((x) => x !== undefined).join(" "));
}

/**
 * The baseline the quality suite reports beside our search: a plain fuzzy search on the same engine
 * with no query understanding — every typed word (standard-analyzer tokens) is a fuzzy clause on all
 * text fields, and candidates rank by how many words they match (exact 1, fuzzy 0.8), like a
 * `multi_match` with `fuzziness: AUTO`. Answers customerIds, best first.
 */
export async function naiveSearch(engine: SearchEngine, q: string, limit: number): Promise<string[]> {
  const words = foldedWords(q).slice(0, 16);
  if (words.length === 0) return [];
  const clauses: RetrievalClause[] = [
    ...TEXT_FIELDS.map((field): RetrievalClause => ({ field, values: words, match: "fuzzy" })),
    ...KEYWORD_FIELDS.map((field): RetrievalClause => ({ field, values: words, match: "exact" })),
  ];
  const docs = await engine.retrieve({ should: clauses, size: 200 });
  const scored = docs.map((doc) => {
    const tokens = docTokens(doc);
    let score = 0;
    for (const w of words) {
      if (tokens.includes(w)) score += 1;
      else if (tokens.some((t) => editDistance(w, t, auto(w.length)) <= auto(w.length))) score += 0.8;
    }
    return { id: doc.customerId, score };
  });
  scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...new Set(scored.map((s) => s.id))].slice(0, limit);
}

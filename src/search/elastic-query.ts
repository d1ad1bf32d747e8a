import { MAX_PREFIX_GRAM, PREFIX_FIELDS } from "../mappings/customer-index.ts";
import type { DocField, RetrievalClause, RetrievalQuery } from "./search-engine.ts";

// Same weights as the embedded engine: they only decide which candidates fill `size`.
const WEIGHT = { exact: 3, prefix: 2, fuzzy: 1 } as const;
const hasPrefixField = (field: DocField) => (PREFIX_FIELDS as readonly string[]).includes(field);

// Clauses on the birth date go to its keyword twin: string semantics like the embedded engine, and a
// value that is no date (a free-text word) matches nothing instead of failing the whole search.
const stringField = (field: DocField) => (field === "birthDate" ? "birthDate.string" : field);

function valueQuery(clause: RetrievalClause, value: string): object {
  const field = stringField(clause.field);
  if (clause.match === "prefix") {
    if (hasPrefixField(clause.field) && value.length <= MAX_PREFIX_GRAM)
      return { match: { [`${clause.field}.prefix`]: { query: value } } };
    return { prefix: { [field]: { value } } };
  }
  return { fuzzy: { [field]: { value, fuzziness: "AUTO", transpositions: true, max_expansions: 50 } } };
}

function clauseQuery(clause: RetrievalClause): object {
  const values = clause.values.filter((v) => v.length > 0);
  const inner =
    clause.match === "exact"
      ? { terms: { [stringField(clause.field)]: values } }
      : { bool: { should: values.map((v) => valueQuery(clause, v)), minimum_should_match: 1 } };
  return { constant_score: { filter: inner, boost: WEIGHT[clause.match] } };
}

/**
 * Translates a RetrievalQuery into a search body: should clauses (at least one must match) scored by
 * clause weight only, must clauses as filters, ties broken by customerId so answers are stable.
 */
export function toSearchBody(query: RetrievalQuery): object {
  const should = query.should.filter((c) => c.values.some((v) => v.length > 0)).map(clauseQuery);
  const filter = (query.must ?? []).map(clauseQuery);
  const bool =
    should.length > 0
      ? { should, minimum_should_match: 1, filter }
      : filter.length > 0
        ? { filter }
        : { must_not: { match_all: {} } };
  return {
    size: query.size,
    track_total_hits: false,
    query: { bool },
    sort: [{ _score: "desc" }, { customerId: "asc" }],
  };
}

import { invalid } from "../domain/errors.ts";
import { normalisePhone } from "../domain/normalise/phone.ts";
import { dutchPhonetic } from "../domain/phonetic.ts";
import type { Logger } from "../logger.ts";
import {
  type CustomerSearch,
  SearchInput,
  type SearchResponse,
  type SearchResult,
} from "./customer-search.ts";
import { type ParsedQuery, parseQuery } from "./query-parse.ts";
import { type Ranked, rankCandidates } from "./scorer.ts";
import type { CustomerDoc, RetrievalClause, RetrievalQuery, SearchEngine } from "./search-engine.ts";

/** How many candidates one retrieval may bring back for the scorer: wide, but never the whole index. */
export const CANDIDATES = 200;
/** Most callers one phone number lists (a household shares a landline). */
export const MAX_CALLERS = 50;

/** What the search service needs: an engine, and optionally a logger for slow-query lines. */
export interface CustomerSearchOptions {
  engine: SearchEngine;
  logger?: Pick<Logger, "debug">;
}

// `vandenberg`, `vanderberg`, `terhorst` typed as one word: also look up the surname behind them.
const GLUED_TV = /^(van(?:de[nr]?|het)?|ter|ten|de)(\p{L}{3,})$/u;

/** The wide-net name clauses: exact, phonetic, fuzzy and (for the last word typed) prefix. */
export function nameClauses(q: ParsedQuery): RetrievalClause[] {
  const clauses: RetrievalClause[] = [];
  const names = q.names;
  if (names.length === 0) return clauses;
  const unglued = names.flatMap((n) => GLUED_TV.exec(n)?.[2] ?? []);
  clauses.push({ field: "surnameParts", values: [...names, ...unglued], match: "exact" });
  clauses.push({ field: "firstNames", values: names, match: "exact" });
  clauses.push({ field: "companyWords", values: names, match: "exact" });
  const sounding = names.filter((n) => n.length >= 3).map(dutchPhonetic);
  if (sounding.length > 0) clauses.push({ field: "phonetic", values: sounding, match: "exact" });
  const long = names.filter((n) => n.length >= 4);
  if (long.length > 0) {
    clauses.push({ field: "surnameParts", values: long, match: "fuzzy" });
    clauses.push({ field: "companyWords", values: long, match: "fuzzy" });
  }
  if (q.prefix && q.prefix.length >= 2) {
    for (const field of ["surnameParts", "firstNames", "companyWords"] as const)
      clauses.push({ field, values: [q.prefix], match: "prefix" });
  } else if (q.prefix) clauses.push({ field: "surnameParts", values: [q.prefix], match: "prefix" });
  // Free-text words can be a city or street (`de vries amsterdam`).
  clauses.push({ field: "city", values: [...names, names.join(" ")], match: "exact" });
  clauses.push({ field: "street", values: names, match: "exact" });
  return clauses;
}

/** The date and, when it is a real date too, its day/month swap (`1980-03-12` ↔ `1980-12-03`). */
function datesToTry(iso: string): string[] {
  const [y, m, d] = iso.split("-");
  const swapped = `${y}-${d}-${m}`;
  const real = new Date(`${swapped}T00:00:00Z`);
  return swapped !== iso && !Number.isNaN(real.getTime()) && real.toISOString().startsWith(swapped)
    ? [iso, swapped]
    : [iso];
}

/** The exact-key clauses: birth date (also day/month swapped), postcode, phones, e-mail, policy numbers. */
export function keyClauses(q: ParsedQuery): RetrievalClause[] {
  const clauses: RetrievalClause[] = [];
  if (q.birthDate) clauses.push({ field: "birthDate", values: datesToTry(q.birthDate), match: "exact" });
  if (q.postcode) clauses.push({ field: "postcode", values: [q.postcode], match: "exact" });
  if (q.phones.length > 0) clauses.push({ field: "phones", values: q.phones, match: "exact" });
  if (q.email) clauses.push({ field: "email", values: [q.email], match: "exact" });
  if (q.policyNumbers.length > 0)
    clauses.push({ field: "policyNumbers", values: q.policyNumbers, match: "exact" });
  if (q.postcodeArea) clauses.push({ field: "postcodeArea", values: [q.postcodeArea], match: "exact" });
  if (q.houseNumber)
    clauses.push({ field: "houseNumberBase", values: [String(q.houseNumber.number)], match: "exact" });
  if (q.street.length > 0) clauses.push({ field: "street", values: q.street, match: "exact" });
  if (q.city.length > 0) clauses.push({ field: "city", values: [q.city.join(" ")], match: "exact" });
  if (q.initials && q.names.length === 0)
    clauses.push({ field: "initials", values: [q.initials], match: "prefix" });
  return clauses;
}

/**
 * The retrievals for one query: one wide net over every clause, plus — when a name comes with a
 * selective key — the people holding that key ranked by name, so a common surname cannot crowd the
 * right person out of the candidate list.
 */
export function retrievalsFor(q: ParsedQuery): RetrievalQuery[] {
  const names = nameClauses(q);
  const keys = keyClauses(q);
  const queries: RetrievalQuery[] = [{ should: [...names, ...keys], size: CANDIDATES }];
  if (names.length > 0) {
    const selective: RetrievalClause | undefined = q.postcode
      ? { field: "postcode", values: [q.postcode], match: "exact" }
      : q.birthDate
        ? { field: "birthDate", values: datesToTry(q.birthDate), match: "exact" }
        : q.postcodeArea
          ? { field: "postcodeArea", values: [q.postcodeArea], match: "exact" }
          : undefined;
    if (selective) queries.push({ must: [selective], should: names, size: CANDIDATES / 2 });
  }
  return queries;
}

function toResult(r: Ranked): SearchResult {
  return {
    customerId: r.doc.customerId,
    score: r.score,
    confidence: r.confidence,
    matches: r.matches,
    customer: r.doc.view,
    policies: r.doc.policies,
  };
}

const elapsed = (start: number) => Math.round((performance.now() - start) * 10) / 10;

/**
 * Customer recognition over any SearchEngine: the query is understood in TypeScript, the engine casts
 * a wide net of candidates, and the shared scorer ranks them — so every engine gives the same answers.
 */
export function createCustomerSearch(options: CustomerSearchOptions): CustomerSearch {
  const { engine, logger } = options;

  async function candidates(queries: RetrievalQuery[]): Promise<CustomerDoc[]> {
    const answers = await Promise.all(queries.map((rq) => engine.retrieve(rq)));
    return answers.flat();
  }

  return {
    async search(raw: SearchInput): Promise<SearchResponse> {
      const start = performance.now();
      const parsedInput = SearchInput.safeParse(raw);
      if (!parsedInput.success)
        throw invalid(
          parsedInput.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
        );
      const input = parsedInput.data;
      const q = parseQuery(input);
      const docs = await candidates(retrievalsFor(q));
      const ranked = rankCandidates(q, docs, input.limit);
      const tookMs = elapsed(start);
      logger?.debug({ candidates: docs.length, results: ranked.length, tookMs }, "search");
      return { results: ranked.map(toResult), tookMs };
    },

    async callers(phone: string, limit = 10): Promise<SearchResponse> {
      const start = performance.now();
      if (typeof phone !== "string" || phone.length > 30) throw invalid("phone is not a phone number");
      const e164 = normalisePhone(phone);
      if (!e164) throw invalid("phone is not a phone number");
      const size = Math.max(1, Math.min(MAX_CALLERS, Math.trunc(limit) || 10));
      const docs = await engine.retrieve({
        should: [{ field: "phones", values: [e164], match: "exact" }],
        size: MAX_CALLERS,
      });
      const q: ParsedQuery = {
        names: [],
        typedNames: [],
        phones: [e164],
        policyNumbers: [],
        street: [],
        city: [],
      };
      // Only true holders of the number: an engine must never widen an exact phone lookup.
      const holders = docs.filter((d) => d.phones.includes(e164));
      const ranked = rankCandidates(q, holders, size);
      return { results: ranked.map(toResult), tookMs: elapsed(start) };
    },
  };
}

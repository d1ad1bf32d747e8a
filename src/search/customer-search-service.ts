import { invalid } from "../domain/errors.ts";
import { normalisePhone } from "../domain/normalise/phone.ts";
import { dutchPhonetic } from "../domain/phonetic.ts";
import type { Logger } from "../logger.ts";
import {
  type CancelSignal,
  type CustomerSearch,
  type SearchCallOptions,
  SearchInput,
  type SearchResponse,
  type SearchResult,
} from "./customer-search.ts";
import { type Place, PlaceNames } from "./place-names.ts";
import { type ParsedQuery, parseQuery } from "./query-parse.ts";
import { type Ranked, rankCandidates } from "./rank-candidates.ts";
import type { CustomerDoc, RetrievalClause, RetrievalQuery, SearchEngine } from "./search-engine.ts";

/**
 * How many candidates the wide-net retrieval brings back for the scorer: wide, but never the whole
 * index. Every candidate is read and scored, so this is the main latency lever; the quality suite
 * measures what it costs.
 */
export const CANDIDATES = 60;
/**
 * The wide net when a name comes with a selective key (postcode or its area, birth date), and the
 * selective retrieval beside it (half as many): the holders of the key are then looked through by
 * name on their own, so the wide net only has to catch a mistyped key. Measured against 60 and 30
 * (2026-12-02, 2-vCPU Xeon; noisy queries of 18 types: 1,800 at 1,000,000 and at 200,000 customers,
 * 900 at 10,000 on every engine): every type's recall@1 and @5 is the same at 30 as at 60, and
 * search CPU on the http bench's queries is 20-25 % lower (search-ab, both orders), top results the
 * same. The wide net stays at 60 for queries without a key: at 40 "first name + name + city" (the wide
 * net is all there is) lost one of its 67 queries at 1,000,000.
 */
export const KEYED_CANDIDATES = 30;
/** Most callers one phone number lists (a household shares a landline). */
export const MAX_CALLERS = 50;

/** Most place names read from the engine (the Netherlands has some 2,500 woonplaatsen). */
export const MAX_PLACES = 10_000;
/** How long the place names read from the engine are used before they are read again. */
export const PLACES_TTL_MS = 60_000;

/** What the search service needs: an engine, and optionally a logger and a clock (ms) for the place names' age. */
export interface CustomerSearchOptions {
  engine: SearchEngine;
  logger?: Pick<Logger, "debug">;
  now?: () => number;
}

const IDENTIFIER_FIELDS = new Set(["phones", "email", "policyNumbers"]);

// `vandenberg`, `vanderberg`, `terhorst` typed as one word: also look up the surname behind them.
const GLUED_TV = /^(van(?:de[nr]?|het)?|ter|ten|de)(\p{L}{3,})$/u;

/**
 * The wide-net name clauses: exact, phonetic, fuzzy and (for the last word typed) prefix; with
 * `wide`, also city and street words. Without it, only the clauses that pick a person within a small
 * set (the holders of one postcode or birth date), which keeps those retrievals cheap.
 */
export function nameClauses(q: ParsedQuery, wide = true): RetrievalClause[] {
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
  if (q.prefix) {
    clauses.push({ field: "surnameParts", values: [q.prefix], match: "prefix" });
    if (q.prefix.length >= 2) clauses.push({ field: "firstNames", values: [q.prefix], match: "prefix" });
    // In the wide net a company-word prefix would pull in every `… Amsterdam` company for a city typed
    // last; among the holders of one postcode or birth date it is harmless.
    if (q.prefix.length >= 2 && !wide)
      clauses.push({ field: "companyWords", values: [q.prefix], match: "prefix" });
  }
  if (!wide) return clauses;
  // Free-text words can be a city or street (`de vries amsterdam`).
  clauses.push({ field: "city", values: [...names, names.join(" ")], match: "exact" });
  clauses.push({ field: "street", values: names, match: "exact" });
  return clauses;
}

// Calendar arithmetic instead of a Date per candidate: a birth-date query tries ~80 candidates.
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= (m === 2 && isLeap(y) ? 29 : DAYS[m - 1]!);
}

/** The date and, when it is a real date too, its day/month swap (`1980-03-12` ↔ `1980-12-03`). */
function datesToTry(iso: string): string[] {
  const [y, m, d] = iso.split("-");
  const swapped = `${y}-${d}-${m}`;
  return swapped !== iso && isRealDate(Number(y), Number(d), Number(m)) ? [iso, swapped] : [iso];
}

/**
 * A birth date as it may have been misheard or mistyped: itself, day and month swapped, and every
 * real date one digit away (`1986-03-12` → `1987-03-12`, `1986-08-12`…) — some sixty exact values.
 */
export function dateVariants(iso: string): string[] {
  const out = new Set(datesToTry(iso));
  const digits = iso.replace(/-/g, "");
  for (let i = 0; i < digits.length; i++) {
    for (let d = 0; d <= 9; d++) {
      const v = `${digits.slice(0, i)}${d}${digits.slice(i + 1)}`;
      const year = Number(v.slice(0, 4));
      if (year >= 1900 && year <= 2100 && isRealDate(year, Number(v.slice(4, 6)), Number(v.slice(6))))
        out.add(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}`);
    }
  }
  return [...out];
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
  else if (q.postcodeStart)
    clauses.push({ field: "postcodeArea", values: [q.postcodeStart], match: "prefix" });
  // With a postcode the selective retrieval covers the house; alone, a house number is a weak hint.
  if (q.houseNumber && !q.postcode)
    clauses.push({ field: "houseNumberBase", values: [String(q.houseNumber.number)], match: "exact" });
  if (q.street.length > 0) clauses.push({ field: "street", values: q.street, match: "exact" });
  if (q.place) clauses.push(placeClause(q.place));
  else if (q.city.length > 0) clauses.push({ field: "city", values: [q.city.join(" ")], match: "exact" });
  if (q.initials && q.names.length === 0)
    clauses.push({ field: "initials", values: [q.initials], match: "prefix" });
  return clauses;
}

/** Every document in the place, however the data spells it. */
const placeClause = (place: Place): RetrievalClause => ({
  field: "city",
  values: place.values,
  match: "exact",
});

/**
 * The clauses that pick a person among the people of one place: their names (the surname cut short
 * included), the free-text words and structured street as a street, the house number and initials.
 */
function inPlaceClauses(q: ParsedQuery): RetrievalClause[] {
  const clauses = nameClauses(q, false);
  const streets = [...q.names, ...q.street];
  if (streets.length > 0) clauses.push({ field: "street", values: streets, match: "exact" });
  if (q.houseNumber)
    clauses.push({ field: "houseNumberBase", values: [String(q.houseNumber.number)], match: "exact" });
  if (q.initials) clauses.push({ field: "initials", values: [q.initials], match: "prefix" });
  return clauses;
}

/** The selective keys a name can come with: postcode (or its area alone), birth date and its variants. */
function selectiveClauses(q: ParsedQuery): RetrievalClause[] {
  const selective: RetrievalClause[] = [];
  if (q.postcode) selective.push({ field: "postcode", values: [q.postcode], match: "exact" });
  else if (q.postcodeArea)
    selective.push({ field: "postcodeArea", values: [q.postcodeArea], match: "exact" });
  if (q.birthDate) selective.push({ field: "birthDate", values: dateVariants(q.birthDate), match: "exact" });
  return selective;
}

/**
 * The retrievals for one query: one wide net over every clause, plus — when a name comes with a
 * selective key — the people holding that key ranked by name, so a common surname cannot crowd the
 * right person out of the candidate list. The wide net is always wider than the `limit` asked for, so
 * a search for 50 can still answer 50 and tell whether more matched.
 */
export function retrievalsFor(q: ParsedQuery, limit = 10): RetrievalQuery[] {
  const names = nameClauses(q);
  const keys = keyClauses(q);
  const selective = names.length > 0 ? selectiveClauses(q) : [];
  const queries: RetrievalQuery[] = [
    {
      should: [...names, ...keys],
      size: Math.max(limit + 1, selective.length > 0 ? KEYED_CANDIDATES : CANDIDATES),
    },
  ];
  // Identifiers that name one customer (or one household) get a retrieval of their own, so that
  // clauses matching thousands cannot push them out of the wide net.
  const identifiers = keys.filter((c) => IDENTIFIER_FIELDS.has(c.field));
  if (identifiers.length > 0 && identifiers.length < queries[0]!.should.length)
    queries.push({ should: identifiers, size: MAX_CALLERS });
  if (selective.length > 0) {
    // The people holding a selective key, ranked by name: a common surname cannot crowd them out.
    const narrow = nameClauses(q, false);
    for (const must of selective) queries.push({ must: [must], should: narrow, size: KEYED_CANDIDATES / 2 });
  }
  // The people of the place the agent typed, ranked by the rest: namesakes elsewhere (a common first
  // name, a surname cut short that starts thousands of others) cannot crowd them out. A postcode
  // already narrows further.
  if (q.place && !q.postcode) {
    const should = inPlaceClauses(q);
    if (should.length > 0) queries.push({ must: [placeClause(q.place)], should, size: KEYED_CANDIDATES });
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

/** Did more customers match than the `limit` shown? Candidates hold a customer once per retrieval. */
function moreThan(docs: readonly CustomerDoc[], limit: number): boolean {
  if (docs.length <= limit) return false;
  const ids = new Set<string>();
  for (const d of docs) if (ids.add(d.customerId).size > limit) return true;
  return false;
}

/**
 * Customer recognition over any SearchEngine: the query is understood in TypeScript, the engine casts
 * a wide net of candidates, and the shared scorer ranks them — so every engine gives the same answers.
 */
export function createCustomerSearch(options: CustomerSearchOptions): CustomerSearch {
  const { engine, logger } = options;
  const now = options.now ?? Date.now;
  let places: PlaceNames | undefined;
  let placesAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  // The place names of the data, read once and again every PLACES_TTL_MS in the background; a search
  // waits only for the first reading. A failed reading keeps the previous names.
  async function placeNames(): Promise<PlaceNames | undefined> {
    if (now() - placesAt >= PLACES_TTL_MS && !loading) {
      placesAt = now();
      loading = engine
        .topValues("city", MAX_PLACES)
        .then((values) => {
          places = new PlaceNames(values.map((v) => v.value));
        })
        .catch((err: unknown) => logger?.debug({ err }, "place names not read"))
        .finally(() => {
          loading = undefined;
        });
    }
    if (!places && loading) await loading;
    return places;
  }

  async function candidates(queries: RetrievalQuery[], signal?: CancelSignal): Promise<CustomerDoc[]> {
    const answers = await Promise.all(queries.map((rq) => engine.retrieve(rq, signal ? { signal } : {})));
    return answers.flat();
  }

  return {
    async search(raw: SearchInput, options?: SearchCallOptions): Promise<SearchResponse> {
      const signal = options?.signal;
      signal?.throwIfAborted();
      const start = performance.now();
      const parsedInput = SearchInput.safeParse(raw);
      if (!parsedInput.success)
        throw invalid(
          parsedInput.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
        );
      const input = parsedInput.data;
      const q = parseQuery(input, new Date(), await placeNames());
      const docs = await candidates(retrievalsFor(q, input.limit), signal);
      // Nobody waits for an answer any more: the scoring is not worth doing.
      signal?.throwIfAborted();
      const ranked = rankCandidates(q, docs, input.limit);
      const tookMs = elapsed(start);
      logger?.debug({ candidates: docs.length, results: ranked.length, tookMs }, "search");
      return { results: ranked.map(toResult), tookMs, hasMore: moreThan(docs, input.limit) };
    },

    async callers(phone: string, limit = 10, options?: SearchCallOptions): Promise<SearchResponse> {
      const signal = options?.signal;
      signal?.throwIfAborted();
      const start = performance.now();
      if (typeof phone !== "string" || phone.length > 30) throw invalid("phone is not a phone number");
      const e164 = normalisePhone(phone);
      if (!e164) throw invalid("phone is not a phone number");
      const size = Math.max(1, Math.min(MAX_CALLERS, Math.trunc(limit) || 10));
      const docs = await engine.retrieve(
        {
          should: [{ field: "phones", values: [e164], match: "exact" }],
          // One more than a lookup may show, to tell whether more hold the number.
          size: MAX_CALLERS + 1,
        },
        signal ? { signal } : {},
      );
      signal?.throwIfAborted();
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
      return { results: ranked.map(toResult), tookMs: elapsed(start), hasMore: moreThan(holders, size) };
    },
  };
}

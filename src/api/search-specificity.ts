import type { SearchResponse, SearchResult } from "../search/customer-search.ts";
import type { ParsedQuery } from "../search/query-parse.ts";

/** The kinds of attribute a search can name or match on. */
export type AttributeKind =
  /** A surname or company name (in a query: any name word). */
  | "name"
  /** A first name (matched; initials do not count). */
  | "firstName"
  /** A second name word in free text: a first name, or a street or city typed in the same box. */
  | "nameOrPlace"
  | "birth"
  | "postcode"
  | "postcodeArea"
  | "houseNumber"
  | "street"
  | "city"
  | "phone"
  | "email"
  | "policyNumber";

/** Most results a restricted answer holds. */
export const RESTRICTED_MAX_RESULTS = 10;

const ALONE: readonly AttributeKind[] = ["policyNumber", "phone", "email"];
const PERSONAL: readonly AttributeKind[] = ["name", "firstName", "birth"];

/**
 * Whether a set of attributes can identify someone: a policy number, phone number or e-mail address
 * alone; or two kinds of attribute of which one is personal (surname, first name, birth date) — a first
 * name and a surname are two; or a whole address (postcode and house number, or street, house number
 * and city). A letter, a city, a lone first name, a surname alone or with initials cannot.
 */
export function isSpecific(kinds: ReadonlySet<AttributeKind>): boolean {
  if (ALONE.some((k) => kinds.has(k))) return true;
  if (kinds.has("postcode") && kinds.has("houseNumber")) return true;
  if (kinds.has("street") && kinds.has("houseNumber") && kinds.has("city")) return true;
  return kinds.size >= 2 && PERSONAL.some((k) => kinds.has(k));
}

/** The kinds of attribute a parsed query names (a single letter names nothing: it is an initial). */
export function kindsOfQuery(q: ParsedQuery): Set<AttributeKind> {
  const kinds = new Set<AttributeKind>();
  const words = q.names.filter((w) => w.length >= 2);
  if (words.length >= 1) kinds.add("name");
  if (words.length >= 2) kinds.add("nameOrPlace");
  if (q.birthDate || q.birthYear) kinds.add("birth");
  if (q.postcode) kinds.add("postcode");
  // A lone year (`1980`) is read both as a birth year and a postcode area: one attribute, not two.
  else if (q.postcodeArea && q.postcodeArea !== q.birthYear) kinds.add("postcodeArea");
  if (q.houseNumber) kinds.add("houseNumber");
  if (q.street.length > 0) kinds.add("street");
  if (q.city.length > 0) kinds.add("city");
  if (q.phones.length > 0) kinds.add("phone");
  if (q.email) kinds.add("email");
  if (q.policyNumbers.length > 0) kinds.add("policyNumber");
  return kinds;
}

const MATCHED: Record<string, AttributeKind> = {
  surname: "name",
  firstNames: "firstName",
  companyName: "name",
  birthDate: "birth",
  houseNumber: "houseNumber",
  street: "street",
  city: "city",
  phone: "phone",
  email: "email",
  policyNumber: "policyNumber",
};

/** The kinds of attribute a result matched on (initials and tussenvoegsels alone are no attribute). */
export function kindsOfMatches(matches: SearchResult["matches"]): Set<AttributeKind> {
  const kinds = new Set<AttributeKind>();
  for (const m of matches) {
    if (m.field === "postcode") kinds.add(m.kind === "exact" ? "postcode" : "postcodeArea");
    else if (MATCHED[m.field]) kinds.add(MATCHED[m.field]!);
  }
  return kinds;
}

/**
 * The first result's `matches` read from a search answer's JSON without parsing all of it: the first
 * `"matches":` key of the document is the first result's (customer views hold no such key, and a string
 * value cannot hold it unescaped). Undefined when there is no result.
 */
export function firstMatchesOfJson(json: string): SearchResult["matches"] | undefined {
  const at = json.indexOf('"matches":');
  if (at < 0) return undefined;
  const start = at + '"matches":'.length;
  const end = json.indexOf("]", start);
  try {
    return JSON.parse(json.slice(start, end + 1)) as SearchResult["matches"];
  } catch {
    return (JSON.parse(json) as SearchResponse).results[0]?.matches;
  }
}

/** One result as a restricted answer shows it: a name and a place to pick from, nothing that identifies. */
export function restrictResult(r: SearchResult) {
  const { city, country } = r.customer.address;
  return {
    customerId: r.customerId,
    score: r.score,
    confidence: r.confidence,
    matches: r.matches,
    customer: {
      kind: r.customer.kind,
      displayName: r.customer.displayName,
      address: { ...(city !== undefined ? { city } : {}), country },
    },
    policies: [],
  };
}

/** A search answer cut down to a restricted one: `restricted: true`, at most 10 reduced results. */
export function restrictAnswer<A extends { results: SearchResult[]; hasMore?: boolean }>(answer: A) {
  const kept = answer.results.slice(0, RESTRICTED_MAX_RESULTS);
  const cut = kept.length < answer.results.length;
  return {
    ...answer,
    results: kept.map(restrictResult),
    ...(cut ? { hasMore: true } : {}),
    restricted: true as const,
  };
}

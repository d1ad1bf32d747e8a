import { parseDutchDate } from "../domain/normalise/date.ts";
import { parseHouseNumber } from "../domain/normalise/house-number.ts";
import { normalisePhone } from "../domain/normalise/phone.ts";
import { normaliseDutchPostcode } from "../domain/normalise/postcode.ts";
import { fold, foldedWords } from "../domain/normalise/text.ts";
import type { SearchResult } from "../search/customer-search.ts";
import { tvOf } from "../search/query-codes.ts";
import { parseQuery } from "../search/query-parse.ts";

/** The attributes a verification may give. */
export const IDENTIFYING = ["policyNumber", "name", "birthDate", "postcode", "houseNumber", "phone"] as const;
export type Identifying = (typeof IDENTIFYING)[number];

/** What a verification request gives, by attribute. */
export type VerificationAttributes = Partial<Record<Identifying, string>>;

/**
 * What a given attribute counts as: a name counts as a full name only with a first name or an initial
 * beside the surname (`J. Jansen`, `Jan Jansen`); a surname alone is common (`Jansen`).
 */
export type Evidence =
  | "policyNumber"
  | "fullName"
  | "surname"
  | "birthDate"
  | "postcode"
  | "houseNumber"
  | "phone";

/**
 * The combinations that may verify (docs/security.md explains each). Everything else answers
 * `MORE_ATTRIBUTES_NEEDED` without a search, so a weak combination learns nothing about the data.
 */
export const STRONG_COMBINATIONS: ReadonlyArray<readonly Evidence[]> = [
  ["policyNumber", "birthDate"],
  ["policyNumber", "postcode", "houseNumber"],
  ["fullName", "birthDate", "postcode"],
];

/** True when `name` has a surname and a first name or an initial (tussenvoegsels do not count). */
export function isFullName(name: string): boolean {
  try {
    const p = parseQuery({ name, limit: 1 });
    return p.names.length >= 2 || (p.names.length >= 1 && (p.initials ?? "").length > 0);
  } catch {
    return false;
  }
}

/** The evidence a request gives, from its keys and the form of its name only (never from the data). */
export function evidenceOf(input: VerificationAttributes): Set<Evidence> {
  const out = new Set<Evidence>();
  for (const k of IDENTIFYING) {
    const v = input[k];
    if (v === undefined) continue;
    if (k === "name") out.add(isFullName(v) ? "fullName" : "surname");
    else out.add(k);
  }
  return out;
}

/** The first strong combination the request gives, or null: then more is needed. */
export function strongCombination(input: VerificationAttributes): readonly Evidence[] | null {
  const has = evidenceOf(input);
  return STRONG_COMBINATIONS.find((combo) => combo.every((e) => has.has(e))) ?? null;
}

const squashed = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "");

/** The held name agrees: every surname (or company name) word given, and the first initial the same. */
function nameAgrees(given: string, v: SearchResult["customer"]): boolean {
  let parsed: ReturnType<typeof parseQuery>;
  try {
    parsed = parseQuery({ name: given, limit: 1 });
  } catch {
    return false;
  }
  const givenWords = new Set(parsed.names);
  if (v.kind === "Z") {
    const held = foldedWords(v.companyName ?? "");
    return held.length > 0 && held.every((w) => givenWords.has(w));
  }
  // Words of a surname that are tussenvoegsels (`Jansen-de Vries`) are read as such from the given name.
  const surname = foldedWords((v.surname ?? "").replace(/-/g, " ")).filter((w) => !tvOf(w));
  if (surname.length === 0 || !surname.every((w) => givenWords.has(w))) return false;
  const givenInitial = parsed.initials?.[0] ?? parsed.names.find((w) => !surname.includes(w))?.[0];
  const heldInitial = fold(v.initials ?? "").replace(/[^a-z]/g, "")[0] ?? fold(v.firstNames ?? "")[0];
  return givenInitial !== undefined && heldInitial !== undefined && givenInitial === heldInitial;
}

/** Which of the given attributes the candidate really holds (checked here, not taken from the scorer). */
export function agreeingAttributes(input: VerificationAttributes, r: SearchResult): Identifying[] {
  const v = r.customer;
  const agree: Identifying[] = [];
  if (
    input.policyNumber &&
    r.policies.some((p) => squashed(p.policyNumber) === squashed(input.policyNumber!))
  )
    agree.push("policyNumber");
  if (input.name && nameAgrees(input.name, v)) agree.push("name");
  if (input.birthDate && v.birthDate && parseDutchDate(input.birthDate) === v.birthDate)
    agree.push("birthDate");
  if (input.postcode && v.address.postcode && normaliseDutchPostcode(input.postcode) === v.address.postcode)
    agree.push("postcode");
  if (input.houseNumber && v.address.houseNumber !== undefined) {
    const h = parseHouseNumber(input.houseNumber);
    if (
      h &&
      h.number === v.address.houseNumber &&
      (h.addition ?? "").toUpperCase() === (v.address.houseNumberAddition ?? "").toUpperCase()
    )
      agree.push("houseNumber");
  }
  if (input.phone) {
    const e164 = normalisePhone(input.phone);
    if (e164 && v.phones.some((p) => normalisePhone(p) === e164)) agree.push("phone");
  }
  return agree;
}

/**
 * Decides a verification from the candidates a search found: the request gives a strong combination,
 * and exactly one candidate holds every attribute given (an extra attribute that does not agree fails
 * the verification too; two candidates that both agree are twins we cannot tell apart).
 */
export function decideVerification(
  input: VerificationAttributes,
  results: SearchResult[],
): SearchResult | null {
  if (!strongCombination(input)) return null;
  const given = IDENTIFYING.filter((k) => input[k] !== undefined);
  const agreeing = results.filter((r) => {
    const a = agreeingAttributes(input, r);
    return given.every((k) => a.includes(k));
  });
  return agreeing.length === 1 ? agreeing[0]! : null;
}

/**
 * The customers a failed attempt was aimed at, for the lockout: candidates holding the policy number
 * given, or agreeing on at least two attributes (someone trying birth dates with a name and postcode).
 */
export function targetedCustomers(input: VerificationAttributes, results: SearchResult[]): string[] {
  return results
    .filter((r) => {
      const a = agreeingAttributes(input, r);
      return a.includes("policyNumber") || a.length >= 2;
    })
    .map((r) => r.customerId);
}

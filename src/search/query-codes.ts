import { parseHouseNumber } from "../domain/normalise/house-number.ts";
import { expandTussenvoegsel, TUSSENVOEGSELS } from "../domain/normalise/name.ts";
import { normalisePhone } from "../domain/normalise/phone.ts";
import { normaliseDutchPostcode } from "../domain/normalise/postcode.ts";
import { fold } from "../domain/normalise/text.ts";
import type { ParsedQuery } from "./query-parse.ts";
import { parseQueryDate, parseSpacedDate, readPhone } from "./query-tokens.ts";

/** Most polisnummer candidates one query looks up. */
export const MAX_POLICY_CANDIDATES = 6;

const HOUSE_ADDITIONS = new Set([
  "bis",
  "hs",
  "hg",
  "ii",
  "iii",
  "iv",
  "zw",
  "rd",
  "bg",
  "bv",
  "boven",
  "beneden",
]);
const TV_SET = new Set(TUSSENVOEGSELS);
/** The folded tussenvoegsel these words are (`v.d.` → `van de`), or undefined. */
export const tvOf = (words: string) => {
  const e = expandTussenvoegsel(words);
  return TV_SET.has(e) ? e : undefined;
};
/** Is this token a name word (letters, apostrophes)? */
export const isNameWord = (t: string | undefined) => t !== undefined && /^\p{L}[\p{L}'’]*$/u.test(t);

/** Polisnummer as the index keeps it: upper case, letters and digits only. */
export function normalisePolicyNumber(input: string): string {
  return fold(input)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "");
}

/**
 * A polisnummer read out in groups (`TB 22894 91`) spans tokens; every run of 2–4 tokens that starts
 * with its letters and holds five or more digits is also tried as one. Extra candidates cost one exact lookup each and score only when
 * a customer holds exactly that number.
 */
export function addSpacedPolicyNumbers(tokens: readonly string[], out: ParsedQuery): void {
  for (let i = 0; i < tokens.length && out.policyNumbers.length < MAX_POLICY_CANDIDATES; i++) {
    if (!/^[\p{L}\d-]{1,12}$/u.test(tokens[i]!) || !/^[a-z]{1,3}\d*$/i.test(tokens[i]!)) continue;
    for (let k = 2; k <= 4 && i + k <= tokens.length; k++) {
      const run = tokens.slice(i, i + k);
      if (!run.every((t) => /^[\p{L}\d-]+$/u.test(t)) || !run.slice(1).every((t) => /^\d+$/.test(t))) break;
      const joined = normalisePolicyNumber(run.join(""));
      if ((joined.match(/\d/g) ?? []).length >= 5 && !out.policyNumbers.includes(joined))
        out.policyNumbers.push(joined);
    }
  }
}

/** Numbers and codes at `i`: date, phone, postcode, house number, area/year, policy number. */
export function readCode(
  tokens: readonly string[],
  i: number,
  out: ParsedQuery,
  today: Date,
  afterPostcodeOrName: boolean,
): number {
  const t = tokens[i]!;
  if (!/\d/.test(t)) return 0;
  const spaced = i + 2 < tokens.length ? parseSpacedDate(t, tokens[i + 1]!, tokens[i + 2]!) : null;
  if (spaced && !out.birthDate) {
    out.birthDate = spaced;
    return 3;
  }
  const date = /^[\d\-/.']+$/.test(t) && !/^0\d{9}$/.test(t) ? parseQueryDate(t, today) : null;
  if (date) {
    if (!out.birthDate) out.birthDate = date;
    return 1;
  }
  const phone = readPhone(tokens, i);
  if (phone) {
    if (!out.phones.includes(phone.e164) && out.phones.length < 3) out.phones.push(phone.e164);
    return phone.used;
  }
  const pcGlued = /^[1-9]\d{3}[a-z]{2}$/i.test(t) ? normaliseDutchPostcode(t) : null;
  const next = tokens[i + 1];
  const pcSpaced =
    /^[1-9]\d{3}$/.test(t) && next && /^[a-z]{2}$/i.test(next) && !(tvOf(next) && isNameWord(tokens[i + 2]))
      ? normaliseDutchPostcode(`${t} ${next}`)
      : null;
  const postcode = pcGlued ?? pcSpaced;
  // A postcode typed up to its first letter, last in the box: its area, and the start to rank by.
  const started = /^([1-9]\d{3}) ?([a-z])$/i.exec(
    i + 2 === tokens.length && /^\d{4}$/.test(t) ? `${t} ${next}` : t,
  );
  if (!postcode && started && i + (started[0].includes(" ") && t.length === 4 ? 2 : 1) === tokens.length) {
    out.postcodeArea = started[1]!;
    out.postcodeStart = `${started[1]} ${started[2]!.toUpperCase()}`;
    return t.length === 4 ? 2 : 1;
  }
  if (postcode) {
    out.postcode = postcode;
    out.postcodeArea = postcode.slice(0, 4);
    return pcGlued ? 1 : 2;
  }
  if (/^\d{4}$/.test(t) && !(afterPostcodeOrName && out.postcode)) {
    // A lone 4-digit number: a postcode area, and maybe a birth year; the scorer weighs both.
    if (Number(t) >= 1000 && !out.postcodeArea) out.postcodeArea = t;
    if (Number(t) >= 1900 && Number(t) <= today.getUTCFullYear()) out.birthYear = t;
    return 1;
  }
  if (/^\d{1,4}([-/]?[\p{L}\d]{1,4})?$/u.test(t) && !/^\d{5,}/.test(t) && !out.houseNumber) {
    const following = next?.toLowerCase();
    const addition =
      /^\d+$/.test(t) && following && (/^\p{L}$/u.test(following) || HOUSE_ADDITIONS.has(following))
        ? following
        : undefined;
    const h = parseHouseNumber(t, addition);
    // Two or three digits typed last after a name may be the start of a postcode (search as you type).
    if (h && /^\d{2,3}$/.test(t) && i === tokens.length - 1 && out.names.length > 0 && !out.postcode)
      out.postcodeStart = t;
    if (h) {
      out.houseNumber = h;
      return addition ? 2 : 1;
    }
  }
  if (/^\d{5,}$/.test(t)) {
    // A long bare number: a policy number, and a phone number when it can be one (612345678).
    const p = normalisePhone(t);
    if (p && !out.phones.includes(p) && out.phones.length < 3) out.phones.push(p);
    if (out.policyNumbers.length < MAX_POLICY_CANDIDATES) out.policyNumbers.push(t);
    return 1;
  }
  return 0;
}

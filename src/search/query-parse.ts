import { invalid } from "../domain/errors.ts";
import { parseHouseNumber } from "../domain/normalise/house-number.ts";
import { normalisePhone } from "../domain/normalise/phone.ts";
import { normaliseDutchPostcode } from "../domain/normalise/postcode.ts";
import { fold, foldedWords } from "../domain/normalise/text.ts";
import { MAX_QUERY_LENGTH, type SearchInput } from "./customer-search.ts";
import { type Place, type PlaceNames, placeNotation } from "./place-names.ts";
import {
  addSpacedPolicyNumbers,
  isNameWord,
  MAX_POLICY_CANDIDATES,
  normalisePolicyNumber,
  readCode,
  tvOf,
} from "./query-codes.ts";
import { type FoundPlace, findPlace } from "./query-place.ts";
import { parseQueryDate } from "./query-tokens.ts";

export { MAX_POLICY_CANDIDATES, normalisePolicyNumber } from "./query-codes.ts";

/** What an agent's input says about the caller, in the folded/normalised forms CustomerDoc uses. */
export interface ParsedQuery {
  /** Folded name words in typed order, without tussenvoegsels and initials (`jansen`, `vries`). */
  names: string[];
  /** Lower-case name words as typed, diacritics kept, parallel to `names` (tells exact from folded). */
  typedNames: string[];
  /** The last name word when it may still be half typed (search as you type). */
  prefix?: string;
  /** Folded tussenvoegsel (`van der`), from `v.d.`, `vd`, `van der` or a trailing `, van der`. */
  tussenvoegsel?: string;
  /** Initials as letters (`jp`). */
  initials?: string;
  /** Birth date, `yyyy-mm-dd`. */
  birthDate?: string;
  /** A lone 1900–now year that may be the birth year (also tried as a postcode area). */
  birthYear?: string;
  /** `1234 AB`, or folded free text for a foreign postcode. */
  postcode?: string;
  /** A 4-digit postcode area, given alone or as part of `postcode`. */
  postcodeArea?: string;
  /**
   * A postcode typed part of the way, last in the box: up to its first letter (`1234 A`), or two or
   * three digits after a name (`jansen 57`, also read as a house number). Search as you type.
   */
  postcodeStart?: string;
  houseNumber?: { number: number; addition?: string };
  /** E.164 numbers. */
  phones: string[];
  email?: string;
  /** Upper case, separators removed. */
  policyNumbers: string[];
  /**
   * Folded street words: the structured field, and free-text words that can only be a street
   * (`kerkstraat`, `zwijgerlaan`); other free-text words are tried against streets as names.
   */
  street: string[];
  /** Folded city words: the structured field, or the place recognised in the free text. */
  city: string[];
  /** The place `city` names, when the data knows it (in any notation, by another name, or mistyped). */
  place?: Place;
  /**
   * A place still being typed at the end of the box, after a name (`maria zwart a`, `de vries den h`):
   * the keys of the places its letters start, and how many of the last `names` are its words (none
   * for `den`, read as a tussenvoegsel too). The scorer reads it as the place where it fits one.
   */
  placeStart?: PlaceStart;
  /** The place typed as written (`placeNotation`), to tell the data's notations of it apart. */
  placeNotation?: string;
}

/** A place still being typed at the end of the box (see `ParsedQuery.placeStart`). */
export interface PlaceStart {
  /** Keys of the places whose name starts with the words. */
  keys: string[];
  /** How many of the last name words are the place's. */
  words: number;
  /** The words as written (`placeNotation`). */
  notation: string;
  /** Whether the tussenvoegsel was read from these words (`de`, `den`). */
  tussenvoegsel: boolean;
}

/** Most terms we read from one box; agents type two or three, so more is noise we refuse to scan. */
export const MAX_TERMS = 16;

const CONTROL = /[\p{Cc}]/u;
const FORMAT = /\p{Cf}/gu;
function emptyQuery(): ParsedQuery {
  return { names: [], typedNames: [], phones: [], policyNumbers: [], street: [], city: [] };
}

/**
 * Reads the agent's free-text box and structured fields into a ParsedQuery. Rejects (VALIDATION_FAILED)
 * input that cannot be searched: nothing given, only punctuation, control characters, over-long text,
 * and structured fields that do not parse (a `phone` that is no phone number).
 */
export function parseQuery(input: SearchInput, today = new Date(), places?: PlaceNames): ParsedQuery {
  const out = emptyQuery();
  if (input.q !== undefined) readFreeText(cleanText(input.q, "q", MAX_QUERY_LENGTH), out, today, places);
  if (input.name !== undefined) readNameField(cleanText(input.name, "name", 100), out);
  if (input.birthDate !== undefined) {
    const d = parseQueryDate(cleanText(input.birthDate, "birthDate", 20), today);
    if (!d) throw invalid("birthDate is not a date; use dd-mm-jjjj or jjjj-mm-dd", { field: "birthDate" });
    out.birthDate = d;
  }
  if (input.postcode !== undefined) readPostcodeField(cleanText(input.postcode, "postcode", 20), out);
  if (input.houseNumber !== undefined) {
    const h = parseHouseNumber(cleanText(input.houseNumber, "houseNumber", 20));
    if (!h)
      throw invalid("houseNumber is not a house number (e.g. 12, 12a, 12-2hg)", { field: "houseNumber" });
    out.houseNumber = h;
  }
  if (input.street !== undefined)
    out.street = foldedWords(cleanText(input.street, "street", 100)).slice(0, 6);
  if (input.city !== undefined) {
    const city = cleanText(input.city, "city", 100);
    out.city = foldedWords(city).slice(0, 6);
    const place = places?.find(city) ?? places?.findLoose(city);
    if (place) out.place = place;
    else delete out.place;
    out.placeNotation = placeNotation(city);
  }
  if (input.phone !== undefined) {
    const p = normalisePhone(cleanText(input.phone, "phone", 30));
    if (!p) throw invalid("phone is not a phone number", { field: "phone" });
    if (!out.phones.includes(p)) out.phones.push(p);
  }
  if (input.email !== undefined) {
    const e = cleanText(input.email, "email", 254).toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(e)) throw invalid("email is not an e-mail address", { field: "email" });
    out.email = e;
  }
  if (input.policyNumber !== undefined) {
    const p = normalisePolicyNumber(cleanText(input.policyNumber, "policyNumber", 40));
    if (!p) throw invalid("policyNumber has no letters or digits", { field: "policyNumber" });
    if (!out.policyNumbers.includes(p)) out.policyNumbers.push(p);
  }
  if (isEmpty(out)) throw invalid("the search has nothing to look for: give q or at least one field");
  return out;
}

// Endings of Dutch street names that no surname or first name has (`Kerkstraat`, `Molenweg`).
const STREET_WORD =
  /^\p{L}{3,}(straat|laan|weg|plein|gracht|kade|singel|dreef|steeg|park|dijk|boulevard|allee|straatweg|markt)$/iu;
/** A free-text word that names a street: a compound ending the way street names do. */
export const isStreetWord = (t: string) => STREET_WORD.test(t);

function isEmpty(q: ParsedQuery): boolean {
  return (
    q.names.length === 0 &&
    !q.initials &&
    !q.tussenvoegsel &&
    !q.birthDate &&
    !q.birthYear &&
    !q.postcode &&
    !q.postcodeArea &&
    !q.houseNumber &&
    q.phones.length === 0 &&
    !q.email &&
    q.policyNumbers.length === 0 &&
    q.street.length === 0 &&
    q.city.length === 0
  );
}

function cleanText(text: string, field: string, max: number): string {
  if (text.length > max) throw invalid(`${field} is longer than ${max} characters`, { field });
  const spaced = text.replace(/[\t\n\r]/g, " ");
  if (CONTROL.test(spaced)) throw invalid(`${field} contains control characters`, { field });
  const s = spaced.replace(FORMAT, "").trim();
  if (!/[\p{L}\p{N}]/u.test(s)) throw invalid(`${field} has no letters or digits to search for`, { field });
  return s;
}

function readPostcodeField(text: string, out: ParsedQuery): void {
  const nl = normaliseDutchPostcode(text);
  if (nl) {
    out.postcode = nl;
    out.postcodeArea = nl.slice(0, 4);
  } else if (/^[1-9]\d{3}$/.test(text)) {
    out.postcodeArea = text;
  } else {
    out.postcode = fold(text).replace(/\s+/g, " ");
  }
}

function addName(out: ParsedQuery, typed: string): void {
  for (const part of typed.split(/[-'’]/)) {
    const folded = foldedWords(part).join("");
    if (folded.length === 0 || out.names.length >= 8) continue;
    out.names.push(folded);
    out.typedNames.push(part.toLowerCase());
  }
}

function addInitials(out: ParsedQuery, letters: string): void {
  out.initials = `${out.initials ?? ""}${fold(letters).replace(/[^a-z]/g, "")}`.slice(0, 6);
}

function readNameField(text: string, out: ParsedQuery): void {
  const tokens = splitTokens(text);
  readNameTokens(tokens, 0, out);
}

/** Splits on spaces and commas (kept as their own token); joins `jansen-de vries` halves apart. */
function splitTokens(text: string): string[] {
  const spaced = text.replace(/(\p{L})-(?=\p{L})/gu, "$1 ").replace(/,/g, " , ");
  const tokens = spaced.split(/\s+/).filter(Boolean);
  if (tokens.filter((t) => t !== ",").length > MAX_TERMS)
    throw invalid(`the search has more than ${MAX_TERMS} terms`);
  return tokens;
}

/** Reads initials, tussenvoegsels and name words from token `i` on; returns the index after them. */
function readNameTokens(tokens: readonly string[], i: number, out: ParsedQuery): number {
  let afterComma = false;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t === ",") {
      afterComma = true;
      i++;
      continue;
    }
    const used = readNameToken(tokens, i, out, afterComma);
    if (used === 0) return i;
    i += used;
  }
  return i;
}

/** One name-like item at `i` (initials, a tussenvoegsel of up to three words, a name word); tokens used. */
function readNameToken(tokens: readonly string[], i: number, out: ParsedQuery, afterComma: boolean): number {
  const t = tokens[i]!;
  const glued = /^((?:\p{L}\.)+)(\p{L}{2,}.*)$/u.exec(t); // `J.P.Jansen`
  if (glued) {
    addInitials(out, glued[1]!);
    addName(out, glued[2]!);
    return 1;
  }
  for (let k = Math.min(3, tokens.length - i); k >= 1; k--) {
    const words = tokens.slice(i, i + k);
    if (words.includes(",")) continue;
    const tv = tvOf(words.join(" "));
    if (!tv) continue;
    const next = tokens[i + k];
    // A tussenvoegsel needs a surname after it, or a name before it (`Berg, van der`, `berg vd`).
    if (isNameWord(next) && !tvOf(next!) ? true : afterComma || out.names.length > 0) {
      if (!out.tussenvoegsel) out.tussenvoegsel = tv;
      return k;
    }
  }
  if (/^(\p{L}\.)+\p{L}?$/u.test(t) || /^\p{L}{1,3}\.$/u.test(t)) {
    addInitials(out, t);
    return 1;
  }
  if (/^\p{L}$/u.test(t) && tokens.length > 1) {
    // A letter typed last after a name is the start of the next word (search as you type).
    if (i === tokens.length - 1 && out.names.length > 0) addName(out, t);
    else addInitials(out, t);
    return 1;
  }
  if (/^[\p{L}'’-]+$/u.test(t) && /\p{L}/u.test(t)) {
    addName(out, t);
    return 1;
  }
  return 0;
}

/** Most words of a place still being typed (`capelle a/d ij`). */
const MAX_PLACE_START_WORDS = 3;

/**
 * The longest run of words ending the box that starts the name of a known place, after at least one
 * name word: the agent may be typing the city. Only letters (no codes, no street words) count.
 */
function readPlaceStart(
  tokens: readonly string[],
  namesBefore: ReadonlyArray<number | undefined>,
  tvBefore: readonly boolean[],
  out: ParsedQuery,
  places: PlaceNames,
): void {
  for (let k = Math.min(MAX_PLACE_START_WORDS, tokens.length - 1); k >= 1; k--) {
    const start = tokens.length - k;
    const before = namesBefore[start];
    if (before === undefined || before < 1) continue;
    const tail = tokens.slice(start);
    if (!tail.every((t) => /^[\p{L}'’./-]+$/u.test(t) && !isStreetWord(t))) continue;
    const text = tail.join(" ");
    const keys = places.startingWith(text);
    if (keys.length > 0) {
      out.placeStart = {
        keys,
        words: out.names.length - before,
        notation: placeNotation(text),
        tussenvoegsel: out.tussenvoegsel !== undefined && !tvBefore[start],
      };
      return;
    }
  }
}

/** The free-text box: numbers and codes first, whatever is left is read as names. */
function readFreeText(text: string, out: ParsedQuery, today: Date, places?: PlaceNames): void {
  const email = /[^\s@,;]+@[^\s@,;]+/.exec(text);
  if (email) {
    out.email = email[0].toLowerCase();
    text = text.replace(email[0], " ");
  }
  let tokens = splitTokens(text);
  let placeTokens: string[] = [];
  // A place named anywhere in the box (`Jansen Den Haag`, `Den Haag Jansen`) is the city, not names.
  const found: FoundPlace | undefined = places ? findPlace(tokens, places) : undefined;
  if (found) {
    out.place = found.place;
    out.city = foldedWords(tokens.slice(found.start, found.end).join(" ")).slice(0, 6);
    placeTokens = tokens.slice(found.start, found.end);
    out.placeNotation = placeNotation(placeTokens.join(" "));
    if (!found.alone) tokens = [...tokens.slice(0, found.start), ...tokens.slice(found.end)];
  }
  addSpacedPolicyNumbers(tokens, out);
  let afterPostcodeOrName = false;
  // How many name words were read before each token (where a token starts an item).
  const namesBefore: Array<number | undefined> = [];
  const tvBefore: boolean[] = [];
  for (let i = 0; i < tokens.length; ) {
    namesBefore[i] = out.names.length;
    tvBefore[i] = out.tussenvoegsel !== undefined;
    const t = tokens[i]!;
    const lower = t.toLowerCase();
    const used = readCode(tokens, i, out, today, afterPostcodeOrName);
    if (used > 0) {
      afterPostcodeOrName = /^[1-9]\d{3}/.test(t) && out.postcode !== undefined;
      i += used;
      continue;
    }
    if (isStreetWord(t)) {
      if (out.street.length < 6) out.street.push(foldedWords(t).join(""));
      afterPostcodeOrName = false;
      i++;
      continue;
    }
    const before = out.names.length;
    const nameUsed = readNameToken(tokens, i, out, tokens[i - 1] === ",");
    if (nameUsed > 0) {
      afterPostcodeOrName = out.names.length > before;
      i += nameUsed;
      continue;
    }
    afterPostcodeOrName = false;
    if (lower !== ",") {
      // Whatever else has letters and digits may be a policy number in a notation we do not know.
      const p = normalisePolicyNumber(t);
      if (p.length >= 4 && /\d/.test(p) && out.policyNumbers.length < MAX_POLICY_CANDIDATES)
        out.policyNumbers.push(p);
    }
    i++;
  }
  const lastToken = tokens.at(-1);
  const last = out.typedNames.at(-1);
  if (last && lastToken?.toLowerCase().endsWith(last)) out.prefix = out.names.at(-1);
  if (!found && places) readPlaceStart(tokens, namesBefore, tvBefore, out, places);
  // A place recognised through a typing error may be a name after all (`Heerden` is one letter from
  // `Heerlen`): its words are names too, after the prefix was chosen.
  if (found?.place.typo) for (const t of placeTokens) addName(out, t);
  if (out.names.length === 0 && out.initials?.length === 1 && tokens.length === 1) out.prefix = out.initials;
}

import { placeKey } from "../domain/normalise/place.ts";
import { foldedWords } from "../domain/normalise/text.ts";
import { dutchPhonetic } from "../domain/phonetic.ts";
import { boundedMemo } from "./bounded-memo.ts";
import { confidenceOf } from "./confidence.ts";
import type { MatchKind } from "./customer-search.ts";
import { placeNotation } from "./place-names.ts";
import type { ParsedQuery, PlaceStart } from "./query-parse.ts";
import type { CustomerDoc } from "./search-engine.ts";
import { editDistance, isTypo } from "./similarity.ts";

/** One piece of evidence behind a result: which field matched and how. */
export interface Match {
  field: string;
  kind: MatchKind;
}

/** A candidate's score (log-odds-like evidence points), absolute confidence 0–1, and why. */
export interface Scored {
  score: number;
  confidence: number;
  matches: Match[];
}

type NameField = "surname" | "firstNames" | "companyName" | "street" | "city";
/** `soundTypo`: a typo in a sound-alike spelling; shown as `typo`, weighed a little below a plain typo. */
type NameKind = "exact" | "folded" | "phonetic" | "typo" | "soundTypo" | "prefix";

/**
 * Evidence points per field and kind. A surname agreeing is strong, a first name weaker, a street or
 * city word weaker still. Fixed weights — not IDF — so a rare misspelling never outranks the right
 * spelling of a common name.
 */
const NAME_WEIGHTS: Record<NameField, Record<NameKind, number>> = {
  surname: { exact: 10, folded: 9.5, phonetic: 7.5, typo: 6.5, soundTypo: 5.5, prefix: 4 },
  companyName: { exact: 10, folded: 9.5, phonetic: 7.5, typo: 6.5, soundTypo: 5.5, prefix: 4 },
  firstNames: { exact: 5, folded: 4.5, phonetic: 3.5, typo: 3, soundTypo: 2.5, prefix: 2.5 },
  street: { exact: 3, folded: 3, phonetic: 2, typo: 2, soundTypo: 1.5, prefix: 1.5 },
  city: { exact: 3, folded: 3, phonetic: 2, typo: 2, soundTypo: 1.5, prefix: 1.5 },
};

/**
 * Points for a name word matching a document's: a prefix counts more the more letters were typed
 * (`kuijp` of `kuijpers` beats a sound-alike typo of `kuiper`; `ko` of `koning` says little), up to
 * a little above a typo; every name the prefix starts gets the same, so other evidence decides
 * between them.
 */
function nameWeight(field: NameField, kind: NameKind, word: string): number {
  const w = NAME_WEIGHTS[field];
  if (kind !== "prefix") return w[kind];
  const gain = (w.typo - w.prefix) / 3;
  return Math.min(w.typo + gain * 2, w.prefix + gain * Math.max(0, word.length - 2));
}

const phonetic = boundedMemo(dutchPhonetic);
// Display names and city keys repeat across candidates (every `Jansen`, every `amsterdam`).
const lowerWords = boundedMemo((s: string): readonly string[] => s.toLowerCase().split(/[\s\-'’]+/));
const cityWords = boundedMemo((city: string): readonly string[] => foldedWords(city));
const placeKeyOf = boundedMemo(placeKey);
const notationOf = boundedMemo(placeNotation);
/** Points for a candidate living at the street and house number typed (no postcode given). */
const STREET_HOUSE = 3;
/** … and in the place typed: the address is whole. */
const STREET_HOUSE_PLACE = 6;
/**
 * Points for a candidate living in a place the last words typed start (`maria zwart a`), after their
 * surname and another word of theirs: the words are the city being typed, not a second first name
 * (at most 2.5–3.3 points) or a street. As much as a whole place typed.
 */
const PLACE_START = 3;
/**
 * Points for a candidate whose place the data writes as the agent typed it (`'S-GRAVENHAGE` for
 * `'s-g`, `Den Haag` for `den haag`), beside the same place written otherwise: a tie-break, no more.
 */
const SAME_NOTATION = 0.25;
/**
 * Points against a candidate with a tussenvoegsel when none was typed before a surname of theirs that
 * agreed: `vos` says `Vos` a little more than `de Vos`. A tie-break; agents often leave it out.
 */
const TUSSENVOEGSEL_UNTYPED = 0.25;
/** Points against a candidate living elsewhere than the place the agent typed. */
const PLACE_MISMATCH = 3;

interface Target {
  field: NameField;
  word: string;
  /** Targets of one slot are one name: `vandenberg` glued and `berg` are one surname, matched once. */
  slot: number;
  /** The display name the word comes from; its lowercased words tell an exact match from a folded one. */
  display?: string;
}

/**
 * What a typed name word is to a document's name word, beyond the two kinds that need the display
 * name (exact, folded): worked out once per search for each typed word and name word, since the
 * candidates of one search share their surnames, first names and cities over and over.
 */
export type NameKinds = Array<Map<string, NameKind | null>>;

/** A fresh memo for one search's candidates (pass the same one to every scoreCandidate of it). */
export function nameKinds(q: ParsedQuery): NameKinds {
  return q.names.map(() => new Map());
}

function nameTargets(doc: CustomerDoc): Target[] {
  // The display names are split only when a word matches (nameKind): most targets never do.
  const v = doc.view;
  const targets: Target[] = [];
  const add = (t: Omit<Target, "slot">) => targets.push({ ...t, slot: targets.length });
  for (const w of doc.surnameParts) add({ field: "surname", word: w, display: v.surname });
  // `vandenberg` typed as one word.
  if (doc.tussenvoegsel && doc.surnameParts.length === 1)
    targets.push({
      field: "surname",
      word: `${doc.tussenvoegsel.replace(/[\s']/g, "")}${doc.surnameParts[0]}`,
      slot: 0,
    });
  for (const w of doc.firstNames) add({ field: "firstNames", word: w, display: v.firstNames });
  for (const w of doc.companyWords) add({ field: "companyName", word: w, display: v.companyName });
  for (const w of doc.street) add({ field: "street", word: w });
  // A lone letter of a place name (`s` of `'s-Gravenhage`, `a` of `a/d`) is no word to match.
  if (doc.city) for (const w of cityWords(doc.city)) if (w.length > 1) add({ field: "city", word: w });
  return targets;
}

function nameKind(
  word: string,
  typed: string,
  t: Target,
  mayBePrefix: boolean,
  known: Map<string, NameKind | null>,
): NameKind | null {
  if (word === t.word) return t.display && lowerWords(t.display).includes(typed) ? "exact" : "folded";
  let kind = known.get(t.word);
  if (kind === undefined) {
    kind = looseKind(word, t.word, mayBePrefix);
    known.set(t.word, kind);
  }
  return kind;
}

function looseKind(word: string, target: string, mayBePrefix: boolean): NameKind | null {
  if (word.length >= 3 && phonetic(word) === phonetic(target)) return "phonetic";
  // A slip of the first letter is rarer than one after it: in a short word it is another name.
  const sameStart = word[0] === target[0] || word.length >= 5;
  if (sameStart && isTypo(word, target)) return "typo";
  if (target.startsWith(word) && (mayBePrefix ? word.length >= 1 : word.length >= 3)) return "prefix";
  // A typo in a sound-alike spelling (`mijjer` for `meijer`) is still a typo of the name.
  if (sameStart && word.length >= 4 && editDistance(phonetic(word), phonetic(target), 1) <= 1)
    return "soundTypo";
  return null;
}

/** Matches query name words to the doc's name words, each doc word used once, strongest first. */
function scoreNames(
  q: ParsedQuery,
  doc: CustomerDoc,
  matches: Match[],
  kinds: NameKinds,
): { points: number; surname: boolean; placeStart: boolean } {
  if (q.names.length === 0) return { points: 0, surname: false, placeStart: false };
  const targets = nameTargets(doc);
  const options: Array<{ i: number; t: number; w: number; kind: NameKind }> = [];
  q.names.forEach((word, i) => {
    const mayBePrefix = q.prefix === word && i === q.names.length - 1;
    targets.forEach((t, ti) => {
      const kind = nameKind(word, q.typedNames[i] ?? word, t, mayBePrefix, kinds[i]!);
      if (kind) options.push({ i, t: ti, w: nameWeight(t.field, kind, word), kind });
    });
  });
  const usedWords = new Set<number>();
  const usedTargets = new Set<number>();
  let points = 0;
  let surname = false;
  const placeStart = placeStartFor(q, doc, options, targets);
  if (placeStart) {
    for (let i = q.names.length - placeStart.words; i < q.names.length; i++) usedWords.add(i);
    points += PLACE_START;
    if (notationOf(doc.city!).startsWith(placeStart.notation)) points += SAME_NOTATION;
    matches.push({ field: "city", kind: "prefix" });
  }
  options.sort((a, b) => b.w - a.w || a.i - b.i || a.t - b.t);
  for (const o of options) {
    const slot = targets[o.t]!.slot;
    if (usedWords.has(o.i) || usedTargets.has(slot)) continue;
    usedWords.add(o.i);
    usedTargets.add(slot);
    const field = targets[o.t]!.field;
    points += o.w;
    // A surname typed in full or its first four letters or more (search as you type) identifies.
    if (
      (field === "surname" || field === "companyName") &&
      (o.kind !== "prefix" || q.names[o.i]!.length >= 4)
    )
      surname = true;
    // The first given name is the one people go by (roepnaam): it says more than a middle name.
    if (field === "firstNames" && targets[o.t]!.word === doc.firstNames[0]) points += 1;
    matches.push({ field, kind: o.kind === "soundTypo" ? "typo" : o.kind });
  }
  // A typed name this customer does not have is evidence against them; less so a half-typed one.
  q.names.forEach((word, i) => {
    if (!usedWords.has(i)) points -= q.prefix === word ? 1 : 4;
  });
  return { points, surname, placeStart: placeStart !== undefined };
}

/**
 * Whether the place being typed last (`q.placeStart`) is this candidate's: they live in one of the
 * places it starts, and their surname and another of their names (or their initials) were typed
 * before it.
 */
function placeStartFor(
  q: ParsedQuery,
  doc: CustomerDoc,
  options: ReadonlyArray<{ i: number; t: number }>,
  targets: readonly Target[],
): PlaceStart | undefined {
  const start = q.placeStart;
  if (!start || !doc.city || !start.keys.includes(placeKeyOf(doc.city))) return undefined;
  const first = q.names.length - start.words;
  let surnameAt = -1;
  for (const o of options)
    if (o.i < first && targets[o.t]!.field === "surname") {
      surnameAt = o.i;
      break;
    }
  if (surnameAt < 0) return undefined;
  const other = q.initials !== undefined || options.some((o) => o.i < first && o.i !== surnameAt);
  return other ? start : undefined;
}

const looseTv = (tv: string) => tv.replace(/^van de[rn]$/, "van de").replace(/^'t$/, "het");

function scoreInitials(q: ParsedQuery, doc: CustomerDoc, matches: Match[]): number {
  if (!q.initials || !doc.initials) return 0;
  if (doc.initials.startsWith(q.initials)) {
    matches.push({ field: "initials", kind: "exact" });
    // All of the customer's initials given, none missing: a little more than a leading match.
    return 1.5 + q.initials.length + (doc.initials === q.initials ? 0.5 : 0);
  }
  if (q.initials[0] === doc.initials[0]) {
    matches.push({ field: "initials", kind: "partial" });
    return 1.5;
  }
  return -3;
}

// The typed date with day and month swapped, for the query being scored (one search scores ~90
// candidates against the same date).
let swappedOf = "";
let swapped = "";
function swappedDate(iso: string): string {
  if (iso !== swappedOf) {
    const [y, m, day] = iso.split("-");
    swapped = `${y}-${day}-${m}`;
    swappedOf = iso;
  }
  return swapped;
}

const isIsoDate = (d: string) => d.length === 10 && d[4] === "-" && d[7] === "-";

// Where the eight digits of `yyyy-mm-dd` are.
const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

/**
 * Whether two dates' digits are at most one edit apart, as `editDistance` counts them (a swap of two
 * neighbouring digits is one edit). Two `yyyy-mm-dd` dates have eight digits each, so one edit is one
 * digit changed or two neighbouring digits swapped; that is checked in place, without new strings.
 */
export function oneDigitApart(a: string, b: string): boolean {
  if (!isIsoDate(a) || !isIsoDate(b)) return editDistance(a.replace(/-/g, ""), b.replace(/-/g, ""), 1) <= 1;
  let first = -1;
  let second = -1;
  for (let k = 0; k < 8; k++) {
    const i = DATE_DIGITS[k]!;
    if (a.charCodeAt(i) === b.charCodeAt(i)) continue;
    if (first < 0) first = k;
    else if (second < 0) second = k;
    else return false;
  }
  if (second < 0) return true;
  const [i, j] = [DATE_DIGITS[first]!, DATE_DIGITS[second]!];
  return second === first + 1 && a[i] === b[j] && a[j] === b[i];
}

function scoreBirthDate(
  q: ParsedQuery,
  doc: CustomerDoc,
  matches: Match[],
): { points: number; exact: boolean } {
  const d = doc.birthDate;
  if (q.birthDate && d) {
    if (q.birthDate === d) {
      matches.push({ field: "birthDate", kind: "exact" });
      return { points: 14, exact: true };
    }
    if (swappedDate(q.birthDate) === d) {
      matches.push({ field: "birthDate", kind: "typo" });
      return { points: 7, exact: false };
    }
    if (oneDigitApart(q.birthDate, d)) {
      matches.push({ field: "birthDate", kind: "typo" });
      return { points: 6, exact: false };
    }
    return { points: -8, exact: false };
  }
  if (q.birthYear && d?.startsWith(q.birthYear)) {
    matches.push({ field: "birthDate", kind: "partial" });
    return { points: 3, exact: false };
  }
  return { points: 0, exact: false };
}

function scoreAddress(q: ParsedQuery, doc: CustomerDoc, matches: Match[]): { points: number; full: boolean } {
  let points = 0;
  let postcodeExact = false;
  if (q.postcode && doc.postcode) {
    if (q.postcode === doc.postcode) {
      postcodeExact = true;
      points += 9;
      matches.push({ field: "postcode", kind: "exact" });
    } else if (q.postcodeArea && q.postcodeArea === doc.postcodeArea) {
      points += 2;
      matches.push({ field: "postcode", kind: "partial" });
    } else points -= 3;
  } else if (q.postcodeArea && q.postcodeArea === doc.postcodeArea) {
    points += 3;
    if (q.postcodeStart && doc.postcode?.startsWith(q.postcodeStart)) points += 2;
    matches.push({ field: "postcode", kind: "partial" });
  } else if (q.postcodeStart && !q.postcodeArea && doc.postcode?.startsWith(q.postcodeStart)) {
    points += 2;
    matches.push({ field: "postcode", kind: "prefix" });
  }
  let houseBase = false;
  if (q.houseNumber && doc.houseNumberBase) {
    const typed = `${q.houseNumber.number}${q.houseNumber.addition ?? ""}`;
    if (typed === doc.houseNumber) {
      houseBase = true;
      points += postcodeExact ? 4 : 1.5;
      matches.push({ field: "houseNumber", kind: "exact" });
    } else if (String(q.houseNumber.number) === doc.houseNumberBase) {
      houseBase = true;
      points += postcodeExact ? 3 : 1;
      matches.push({ field: "houseNumber", kind: "partial" });
    } else points -= postcodeExact ? 2 : 0.5;
  }
  let onStreet = false;
  for (const w of q.street) {
    if (doc.street.includes(w)) {
      onStreet = true;
      points += 2;
      matches.push({ field: "street", kind: "exact" });
    } else if (doc.street.some((s) => isTypo(w, s))) {
      points += 1;
      matches.push({ field: "street", kind: "typo" });
    }
  }
  // The house number on the street typed: an address without its postcode. A street typed that the
  // customer does not live on counts against them.
  const streetNamed = onStreet || matches.some((m) => m.field === "street");
  const inPlace = q.place !== undefined && doc.city !== undefined && placeKeyOf(doc.city) === q.place.key;
  // Street, house number and place name an address as a postcode and house number do.
  if (streetNamed && houseBase && !q.postcode) points += inPlace ? STREET_HOUSE_PLACE : STREET_HOUSE;
  else if (q.street.length > 0 && !streetNamed) points -= 2;
  // A place typed alone is read as names too: its words already count once.
  const placeAlone = q.names.length > 0 && q.names.every((w) => q.city.includes(w));
  if (placeAlone) {
    // Nothing more: the words were weighed as names.
  } else if (q.place && doc.city) {
    if (inPlace) {
      // A place mistyped is often one still being typed (`s-Gravenha`): its notation starts the data's.
      const notation = q.placeNotation && notationOf(doc.city).startsWith(q.placeNotation);
      points += 3 + (notation ? SAME_NOTATION : 0);
      matches.push({ field: "city", kind: q.place.typo ? "typo" : "exact" });
    } else points -= PLACE_MISMATCH;
  } else if (q.city.length > 0 && doc.city) {
    const city = q.city.join(" ");
    if (city === doc.city) {
      points += 3;
      matches.push({ field: "city", kind: "exact" });
    } else if (isTypo(city, doc.city)) {
      points += 2;
      matches.push({ field: "city", kind: "typo" });
    } else points -= 1;
  }
  return { points, full: postcodeExact && houseBase };
}

function scoreContacts(q: ParsedQuery, doc: CustomerDoc, matches: Match[]): number {
  let points = 0;
  if (q.phones.length > 0) {
    if (q.phones.some((p) => doc.phones.includes(p))) {
      points += 13;
      matches.push({ field: "phone", kind: "exact" });
    } else if (q.policyNumbers.length === 0) points -= 1;
  }
  if (q.email && doc.email) {
    if (typeof doc.email === "string" ? q.email === doc.email : doc.email.includes(q.email)) {
      points += 15;
      matches.push({ field: "email", kind: "exact" });
    } else points -= 1;
  }
  if (q.policyNumbers.some((p) => doc.policyNumbers.includes(p))) {
    points += 25;
    matches.push({ field: "policyNumber", kind: "exact" });
  }
  return points;
}

/**
 * Scores how well one candidate fits the query, from field-level evidence (exact / folded / phonetic /
 * typo / prefix), with identity combinations (name + birth date, name + postcode + house number)
 * boosted and contradictions (another birth date) penalised. Pure and engine-independent.
 */
export function scoreCandidate(q: ParsedQuery, doc: CustomerDoc, kinds = nameKinds(q)): Scored {
  const matches: Match[] = [];
  const names = scoreNames(q, doc, matches, kinds);
  let score = names.points + scoreInitials(q, doc, matches);
  // A `de`, `den` typed last that starts this candidate's place is no tussenvoegsel.
  const tussenvoegsel = names.placeStart && q.placeStart?.tussenvoegsel ? undefined : q.tussenvoegsel;
  if (tussenvoegsel && doc.tussenvoegsel) {
    // `van` for `van der`, or `in` typed so far of `in 't`, still agrees.
    const theirs = looseTv(doc.tussenvoegsel);
    if (theirs.startsWith(looseTv(tussenvoegsel))) {
      // The whole of it a little more than its start (`van` of `van der`).
      score += theirs === looseTv(tussenvoegsel) ? 1.5 : 1.25;
      matches.push({ field: "tussenvoegsel", kind: "exact" });
    } else score -= 1;
  } else if (!tussenvoegsel && doc.tussenvoegsel && names.surname) score -= TUSSENVOEGSEL_UNTYPED;
  const birth = scoreBirthDate(q, doc, matches);
  const address = scoreAddress(q, doc, matches);
  score += birth.points + address.points + scoreContacts(q, doc, matches);
  if (names.surname && birth.exact) score += 4;
  if (names.surname && address.full) score += 4;
  score = Math.round(score * 100) / 100;
  return { score, confidence: confidenceOf([score], 0), matches: dedupe(matches) };
}

/** The matches without repeats (same field and kind), first ones kept; a candidate has a few at most. */
function dedupe(matches: Match[]): Match[] {
  const out: Match[] = [];
  for (const m of matches) {
    let repeat = false;
    for (const o of out) if (o.field === m.field && o.kind === m.kind) repeat = true;
    if (!repeat) out.push(m);
  }
  return out;
}

import { placeKey } from "../../src/domain/normalise/place.ts";
import { fold } from "../../src/domain/normalise/text.ts";
import { oneDigitApart } from "../../src/search/scorer.ts";
import type { CustomerDoc } from "../../src/search/search-engine.ts";
import {
  dateNotation,
  houseNotation,
  phoneNotation,
  policyNotation,
  postcodeNotation,
  prng,
  type QualityQuery,
  respell,
  transpose,
  typo,
} from "./noisy-queries.ts";
import { onlyOne, Population, surnameSoundsLike, surnameStartsWith } from "./population.ts";

type Rand = () => number;
/** A query as built: the text and the evidence it rests on (see QualityQuery). */
export type Built = { q: string; evidence: (d: CustomerDoc) => string } | null;
/** Builds one query of a type for customer `d` (null when `d` does not suit the type). */
export type Builder = (r: Rand, d: CustomerDoc, people: Population) => Built;

const sn = (d: CustomerDoc) => d.surnameParts.join(" ");
const bd = (d: CustomerDoc) => d.birthDate ?? "";
const addr = (d: CustomerDoc) => `${d.postcode}|${d.houseNumber}`;
const first = (d: CustomerDoc) => d.firstNames[0] ?? "";
const dmy = (iso: string) => iso.split("-").reverse().join("-");
const cased = (r: Rand, s: string) => (r() < 0.5 ? s.toLowerCase() : s);
const isPerson = (d: CustomerDoc) =>
  d.kind === "P" && d.view.surname !== undefined && d.birthDate !== undefined;
const fullSurname = (d: CustomerDoc) => [d.view.tussenvoegsel, d.view.surname].filter(Boolean).join(" ");
const hasAddress = (d: CustomerDoc) => d.postcode !== undefined && d.view.address.houseNumber !== undefined;
const addressText = (r: Rand, d: CustomerDoc) =>
  `${postcodeNotation(r, d.view.address.postcode!)} ${houseNotation(r, d.view.address.houseNumber!, d.view.address.houseNumberAddition)}`;
const firstName = (d: CustomerDoc) => d.view.firstNames?.split(" ")[0] ?? "";
const cityOf = (d: CustomerDoc) => d.view.address.city ?? "";
const samePlace = (x: CustomerDoc, d: CustomerDoc) =>
  x.city !== undefined && d.city !== undefined && placeKey(x.city) === placeKey(d.city);
/** A query that fits `d` only: its evidence is whether a customer fits it. */
const fitting = (q: string, fits: (x: CustomerDoc) => boolean): Built => ({
  q,
  evidence: (x) => (fits(x) ? "fits" : `not ${x.customerId}`),
});
/** A surname part an agent types: one half of a double surname, at random. */
const surnamePart = (r: Rand, d: CustomerDoc) => {
  const words = d.view
    .surname!.split(/[-\s]+/)
    .filter((w) => fold(w) !== "" && d.surnameParts.includes(fold(w)));
  return words.length > 0 ? pick(r, words) : d.view.surname!;
};
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Query types: how an agent types what a caller says, with the errors callers and agents make. */
export const QUERY_TYPES: Record<string, Builder> = {
  "name + birth date": (r, d) => {
    if (!isPerson(d)) return null;
    const withFirst = r() < 0.5;
    const q = `${withFirst ? `${firstName(d)} ` : ""}${cased(r, fullSurname(d))} ${dmy(d.birthDate!)}`;
    return { q, evidence: (x) => `${sn(x)}|${bd(x)}|${withFirst ? first(x) : ""}` };
  },
  "typo + birth date": (r, d) => {
    if (!isPerson(d) || d.view.surname!.length < 5) return null;
    return {
      q: `${typo(r, d.view.surname!.toLowerCase())} ${dmy(d.birthDate!)}`,
      evidence: (x) => `${sn(x)}|${bd(x)}`,
    };
  },
  "transposition + address": (r, d) => {
    if (!isPerson(d) || d.view.surname!.length < 4 || !hasAddress(d)) return null;
    return {
      q: `${transpose(r, d.view.surname!.toLowerCase())} ${addressText(r, d)}`,
      evidence: (x) => `${sn(x)}|${addr(x)}`,
    };
  },
  "phonetic spelling + birth date": (r, d) => {
    if (!isPerson(d)) return null;
    const heard = respell(r, fold(d.view.surname!));
    return heard ? { q: `${heard} ${dmy(d.birthDate!)}`, evidence: (x) => `${sn(x)}|${bd(x)}` } : null;
  },
  "tussenvoegsel missing + address": (r, d) => {
    if (!isPerson(d) || !d.view.tussenvoegsel || !hasAddress(d)) return null;
    return { q: `${cased(r, d.view.surname!)} ${addressText(r, d)}`, evidence: (x) => `${sn(x)}|${addr(x)}` };
  },
  "tussenvoegsel misplaced + birth date": (r, d) => {
    const tv = d.view.tussenvoegsel;
    if (!isPerson(d) || !tv) return null;
    const abbreviated = /^van de[nr]?$/.test(tv) ? `v.d. ${d.view.surname}` : `${d.view.surname} ${tv}`;
    const q = r() < 0.5 ? `${d.view.surname}, ${tv}` : abbreviated;
    return { q: `${cased(r, q)} ${dmy(d.birthDate!)}`, evidence: (x) => `${sn(x)}|${bd(x)}` };
  },
  "diacritics dropped + birth date": (r, d) => {
    if (!isPerson(d)) return null;
    const name = `${d.view.firstNames ?? ""} ${fullSurname(d)}`;
    if (fold(name) === name.toLowerCase()) return null;
    return {
      q: `${cased(r, fold(name))} ${dmy(d.birthDate!)}`,
      evidence: (x) => `${sn(x)}|${bd(x)}|${first(x)}`,
    };
  },
  "double surname by one half + birth date": (r, d) => {
    if (!isPerson(d) || d.surnameParts.length < 2) return null;
    const half = d.surnameParts[Math.floor(r() * d.surnameParts.length)]!;
    return {
      q: `${half} ${dmy(d.birthDate!)}`,
      evidence: (x) => `${x.surnameParts.includes(half)}|${bd(x)}`,
    };
  },
  "initials + name + address": (r, d) => {
    if (!isPerson(d) || !d.view.initials || !hasAddress(d)) return null;
    return {
      q: `${d.view.initials} ${cased(r, fullSurname(d))} ${addressText(r, d)}`,
      evidence: (x) => `${x.initials}|${sn(x)}|${addr(x)}`,
    };
  },
  "first name + name + city": (r, d) => {
    if (!isPerson(d) || !d.view.firstNames || !d.view.address.city) return null;
    return {
      q: cased(r, `${firstName(d)} ${fullSurname(d)} ${d.view.address.city}`),
      evidence: (x) => `${first(x)}|${sn(x)}|${x.city}`,
    };
  },
  "date notations": (r, d) => {
    if (!isPerson(d)) return null;
    return {
      q: `${cased(r, fullSurname(d))} ${dateNotation(r, d.birthDate!)}`,
      evidence: (x) => `${sn(x)}|${bd(x)}`,
    };
  },
  "name + postcode + house number": (r, d) => {
    if (!isPerson(d) || !hasAddress(d)) return null;
    return { q: `${cased(r, fullSurname(d))} ${addressText(r, d)}`, evidence: (x) => `${sn(x)}|${addr(x)}` };
  },
  "phone only": (r, d) => {
    const phone = d.view.phones[0];
    if (!phone) return null;
    return { q: phoneNotation(r, phone), evidence: (x) => String(x.phones.includes(phone)) };
  },
  "policy number only": (r, d) => {
    const pn = d.policies[0]?.policyNumber;
    if (!pn) return null;
    const key = pn.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
    return { q: policyNotation(r, pn), evidence: (x) => String(x.policyNumbers.includes(key)) };
  },
  "as you type: birth date + first name + surname prefix": (_r, d) => {
    if (!isPerson(d) || !d.view.firstNames || d.view.surname!.length < 5) return null;
    const s = d.view.surname!.toLowerCase();
    const prefix = s.slice(0, Math.max(3, s.length - 2));
    return {
      q: `${dmy(d.birthDate!)} ${firstName(d).toLowerCase()} ${prefix}`,
      evidence: (x) => `${bd(x)}|${first(x)}|${x.surnameParts.some((p) => p.startsWith(fold(prefix)))}`,
    };
  },
  "two errors: misheard name + date one digit off or day/month swapped": (r, d) => {
    if (!isPerson(d) || d.view.surname!.length < 5) return null;
    const heard = respell(r, fold(d.view.surname!)) ?? typo(r, d.view.surname!.toLowerCase());
    const [y, m, day] = d.birthDate!.split("-") as [string, string, string];
    const swapped = Number(day) <= 12 && day !== m && r() < 0.5;
    const y2 = `${y.slice(0, 3)}${(Number(y[3]) + 1) % 10}`;
    const date = swapped ? `${m}-${day}-${y}` : `${day}-${m}-${y2}`;
    // Anyone whose surname sounds like the one heard, born on a date one slip from the one typed,
    // fits the query as well: such a query is ambiguous, not missed.
    const typed = swapped ? `${y}-${day}-${m}` : `${y2}-${m}-${day}`;
    const [ty, tm, td] = typed.split("-");
    const near = (b: string | undefined) =>
      b !== undefined && (b === typed || b === `${ty}-${td}-${tm}` || oneDigitApart(typed, b));
    return fitting(`${heard} ${date}`, (x) => near(x.birthDate) && surnameSoundsLike(x, fold(heard)));
  },
  "first-name typo + surname + postcode": (r, d) => {
    if (!isPerson(d) || !d.view.firstNames || firstName(d).length < 4 || !d.postcode) return null;
    const q = `${typo(r, firstName(d).toLowerCase())} ${cased(r, fullSurname(d))} ${postcodeNotation(r, d.view.address.postcode!)}`;
    return { q, evidence: (x) => `${first(x)}|${sn(x)}|${x.postcode}` };
  },
  "first name + surname cut short + city": (r, d, people) => {
    if (!isPerson(d) || !d.view.firstNames || !d.city) return null;
    const part = surnamePart(r, d);
    if (part.length < 5) return null;
    const cut = part.slice(0, 3 + Math.floor(r() * (part.length - 4)));
    const withTv = d.view.tussenvoegsel && part === d.view.surname && r() < 0.5;
    const prefix = fold(cut).replace(/[^a-z]/g, "");
    const first = fold(firstName(d));
    // The cut surname may also be read as another first name (`Gerrit Jan`).
    const fits = (x: CustomerDoc) =>
      x.firstNames.includes(first) &&
      (surnameStartsWith(x, prefix) || x.firstNames.some((f) => f !== first && f.startsWith(prefix)));
    if (!onlyOne(people.named(cityOf(d), first), d, fits)) return null;
    const q = `${firstName(d)} ${withTv ? `${d.view.tussenvoegsel} ` : ""}${cut} ${cityOf(d)}`;
    return fitting(cased(r, q), (x) => fits(x) && samePlace(x, d));
  },
  "first name + misheard surname + city": (r, d, people) => {
    if (!isPerson(d) || !d.view.firstNames || !d.city) return null;
    const part = fold(surnamePart(r, d));
    if (part.length < 4) return null;
    const heard = respell(r, part) ?? typo(r, part);
    const first = fold(firstName(d));
    const fits = (x: CustomerDoc) => x.firstNames.includes(first) && surnameSoundsLike(x, heard);
    if (!onlyOne(people.named(cityOf(d), first), d, fits)) return null;
    const q = `${firstName(d)} ${heard} ${cityOf(d)}`;
    return fitting(cased(r, q), (x) => fits(x) && samePlace(x, d));
  },
  "surname + city": (r, d, people) => {
    if (!isPerson(d) || !d.city) return null;
    const fits = (x: CustomerDoc) => x.surnameParts.some((p) => d.surnameParts.includes(p));
    if (!people.onlyWithSurname(d)) return null;
    return fitting(cased(r, `${fullSurname(d)} ${cityOf(d)}`), (x) => fits(x) && samePlace(x, d));
  },
  "street + house number + city": (r, d, people) => {
    const a = d.view.address;
    if (!d.city || !a.street || !a.houseNumber) return null;
    const street = d.street.join(" ");
    const fits = (x: CustomerDoc) => x.street.join(" ") === street && x.houseNumberBase === d.houseNumberBase;
    if (!people.onlyAtAddress(d)) return null;
    const q = `${a.street} ${houseNotation(r, a.houseNumber, a.houseNumberAddition)} ${cityOf(d)}`;
    return fitting(cased(r, q), (x) => fits(x) && samePlace(x, d));
  },
  "company name + postcode": (r, d) => {
    if (d.kind !== "Z" || !d.view.companyName || !d.postcode) return null;
    const words = d.view.companyName.split(" ");
    const q = `${typo(
      r,
      words.reduce((a, b) => (b.length > a.length ? b : a)),
    )} ${postcodeNotation(r, d.view.address.postcode!)}`;
    return { q, evidence: (x) => `${x.companyWords.join(" ")}|${x.postcode}` };
  },
};

/** Builds up to `perType` queries of every type from randomly chosen customers, the same for a seed. */
export function buildQuerySet(
  docs: readonly CustomerDoc[],
  seed: number,
  perType: number,
  types: Record<string, Builder> = QUERY_TYPES,
): QualityQuery[] {
  const out: QualityQuery[] = [];
  const people = new Population(docs);
  for (const [type, build] of Object.entries(types)) {
    const r = prng(seed ^ hash(type));
    let made = 0;
    for (let attempt = 0; attempt < perType * 200 && made < perType; attempt++) {
      const doc = docs[Math.floor(r() * docs.length)]!;
      const built = build(r, doc, people);
      if (!built) continue;
      out.push({
        type,
        q: built.q.replace(/\s+/g, " ").trim(),
        expected: doc.customerId,
        evidence: built.evidence,
      });
      made++;
    }
  }
  return out;
}

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

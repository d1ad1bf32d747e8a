/**
 * A held-out check, kept apart from the tuning set of query-set.ts: another portfolio seed, cities
 * spelt as partners deliver them (`Den Haag`, `s-Gravenhage`, `Ijsselstein`, `Alphen a/d Rijn`), and
 * query phrasings written independently — the city first, another notation or a typo in it,
 * initials instead of a first name, other mishearings. Each query fits one person only.
 */
import type { GeneratedPerson } from "../../src/demo/generator.ts";
import { placeKey } from "../../src/domain/normalise/place.ts";
import { fold } from "../../src/domain/normalise/text.ts";
import type { CustomerDoc } from "../../src/search/search-engine.ts";
import { houseNotation } from "./noisy-queries.ts";
import { onlyOne, surnameSoundsLike, surnameStartsWith } from "./population.ts";
import { portfolioDocBatches } from "./portfolio.ts";
import type { Builder, Built } from "./query-set.ts";

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

// How partners deliver some places; generator cities that stand in for places it does not have.
const DELIVERED: Record<string, readonly string[]> = {
  "'s-Gravenhage": ["'s-Gravenhage", "Den Haag", "s-Gravenhage", "'S-GRAVENHAGE"],
  "'s-Hertogenbosch": ["'s-Hertogenbosch", "Den Bosch", "s-Hertogenbosch"],
  Veenendaal: ["IJsselstein", "Ijsselstein", "IJSSELSTEIN"],
  Zaandam: ["Alphen aan den Rijn", "Alphen a/d Rijn"],
  Ede: ["Capelle aan den IJssel", "Capelle a/d IJssel"],
};

// How agents type some places.
const TYPED: Record<string, readonly string[]> = {
  sgravenhage: ["Den Haag", "den haag", "s Gravenhage", "'s-Gravenhage", "Den Haag"],
  shertogenbosch: ["Den Bosch", "den bosch", "'s-Hertogenbosch", "s Hertogenbosch"],
  ijsselstein: ["IJsselstein", "Ijsselstein", "ijsselstein"],
  alphenaandenrijn: ["Alphen aan den Rijn", "Alphen a/d Rijn", "alphen ad rijn"],
  capelleaandenijssel: ["Capelle aan den IJssel", "Capelle a/d IJssel"],
};

function hashOf(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** The held-out portfolio: every place spelt one of the ways partners deliver it. */
export function heldOutDocBatches(customers: number, seed: number): Generator<CustomerDoc[]> {
  return portfolioDocBatches(customers, seed, 5000, (p: GeneratedPerson) => {
    const spellings = DELIVERED[p.city];
    if (!spellings) return p;
    return { ...p, city: spellings[hashOf(p.householdId) % spellings.length]! };
  });
}

/** One letter swapped for its neighbour on the keyboard row, past the first two letters. */
function slip(r: Rand, word: string): string {
  const rows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
  const i = 2 + Math.floor(r() * (word.length - 2));
  const row = rows.find((x) => x.includes(word[i]!));
  if (!row) return word;
  const at = row.indexOf(word[i]!);
  const next = row[at + 1] ?? row[at - 1]!;
  return word.slice(0, i) + next + word.slice(i + 1);
}

/** The city as an agent types it: another notation where there is one, else as written, at times mistyped. */
function typedCity(r: Rand, d: CustomerDoc, typos: boolean): string {
  const key = placeKey(d.city!);
  const other = TYPED[key];
  if (other) return pick(r, other);
  const city = d.view.address.city!;
  if (typos && city.length >= 6 && r() < 0.5) return slip(r, city.toLowerCase());
  return r() < 0.5 ? city.toLowerCase() : city;
}

/** Mishearings other than the tuning set's: a double letter dropped or added, `ks`/`x`, `ie`/`i`, `dt`/`t`. */
function misheard(r: Rand, word: string): string {
  const options: Array<[RegExp, string]> = [
    [/([bdfgklmnprst])\1/, "$1"],
    [/([aeiou])([bdfgklmnprst])(?=[aeiou])/, "$1$2$2"],
    [/ks/, "x"],
    [/x/, "ks"],
    [/ie/, "i"],
    [/dt/, "t"],
    [/ij/, "y"],
    [/sch/, "s"],
    [/uy/, "ui"],
    [/c/, "k"],
    [/oo/, "o"],
    [/aa/, "a"],
    [/ee/, "e"],
  ];
  const usable = options.filter(([re]) => re.test(word.slice(1)));
  if (usable.length === 0) return slip(r, word);
  const [re, to] = pick(r, usable);
  return word[0] + word.slice(1).replace(re, to);
}

const isPerson = (d: CustomerDoc) => d.kind === "P" && d.view.surname !== undefined && d.city !== undefined;
const firstName = (d: CustomerDoc) => d.view.firstNames?.split(" ")[0] ?? "";
const samePlace = (x: CustomerDoc, d: CustomerDoc) =>
  x.city !== undefined && placeKey(x.city) === placeKey(d.city!);
const fitting = (q: string, fits: (x: CustomerDoc) => boolean): Built => ({
  q,
  evidence: (x) => (fits(x) ? "fits" : `not ${x.customerId}`),
});
const mainPart = (d: CustomerDoc) =>
  d.surnameParts.reduce((a, b) => (b.length > a.length ? b : a), d.surnameParts[0] ?? "");

/** The held-out query types. */
export const HELD_OUT_TYPES: Record<string, Builder> = {
  "held-out: city, then first name + surname cut short": (r, d, people) => {
    if (!isPerson(d) || !d.view.firstNames) return null;
    const part = mainPart(d);
    if (part.length < 4) return null;
    const prefix = part.slice(0, Math.max(3, part.length - 1 - Math.floor(r() * 4)));
    const first = fold(firstName(d));
    const fits = (x: CustomerDoc) =>
      x.firstNames.includes(first) &&
      (surnameStartsWith(x, prefix) || x.firstNames.some((f) => f !== first && f.startsWith(prefix)));
    if (prefix === part || !onlyOne(people.named(d.city!, first), d, fits)) return null;
    return fitting(
      `${typedCity(r, d, false)} ${firstName(d).toLowerCase()} ${prefix}`,
      (x) => fits(x) && samePlace(x, d),
    );
  },
  "held-out: first name + surname cut short + city, mistyped at times": (r, d, people) => {
    if (!isPerson(d) || !d.view.firstNames) return null;
    const part = mainPart(d);
    if (part.length < 5) return null;
    const prefix = part.slice(0, 3 + Math.floor(r() * 3));
    const first = fold(firstName(d));
    const fits = (x: CustomerDoc) =>
      x.firstNames.includes(first) &&
      (surnameStartsWith(x, prefix) || x.firstNames.some((f) => f !== first && f.startsWith(prefix)));
    if (prefix === part || !onlyOne(people.named(d.city!, first), d, fits)) return null;
    const name = r() < 0.5 ? firstName(d) : firstName(d).toUpperCase();
    return fitting(`${name} ${prefix} ${typedCity(r, d, true)}`, (x) => fits(x) && samePlace(x, d));
  },
  "held-out: first name + misheard surname + city": (r, d, people) => {
    if (!isPerson(d) || !d.view.firstNames) return null;
    const part = mainPart(d);
    if (part.length < 4) return null;
    const heard = misheard(r, part);
    const first = fold(firstName(d));
    const fits = (x: CustomerDoc) => x.firstNames.includes(first) && surnameSoundsLike(x, heard);
    if (heard === part || !onlyOne(people.named(d.city!, first), d, fits)) return null;
    return fitting(`${firstName(d)} ${heard} ${typedCity(r, d, false)}`, (x) => fits(x) && samePlace(x, d));
  },
  "held-out: surname + city": (r, d, people) => {
    if (!isPerson(d) || !people.onlyWithSurname(d)) return null;
    const fits = (x: CustomerDoc) => x.surnameParts.some((p) => d.surnameParts.includes(p));
    const surname = [d.view.tussenvoegsel, d.view.surname].filter(Boolean).join(" ");
    const q = r() < 0.5 ? `${surname} ${typedCity(r, d, true)}` : `${typedCity(r, d, false)} ${surname}`;
    return fitting(q, (x) => fits(x) && samePlace(x, d));
  },
  "held-out: street + house number + city": (r, d, people) => {
    const a = d.view.address;
    if (!d.city || !a.street || !a.houseNumber || !people.onlyAtAddress(d)) return null;
    const street = d.street.join(" ");
    const fits = (x: CustomerDoc) => x.street.join(" ") === street && x.houseNumberBase === d.houseNumberBase;
    const house = houseNotation(r, a.houseNumber, a.houseNumberAddition);
    return fitting(
      `${a.street.toLowerCase()} ${house} ${typedCity(r, d, false)}`,
      (x) => fits(x) && samePlace(x, d),
    );
  },
  "held-out: initials + surname + city": (r, d, people) => {
    if (!isPerson(d) || !d.initials || !people.onlyWithSurname(d)) return null;
    const fits = (x: CustomerDoc) => x.surnameParts.some((p) => d.surnameParts.includes(p));
    const initials = d.view.initials ?? d.initials.toUpperCase().split("").join(".");
    return fitting(
      `${initials} ${d.view.surname} ${typedCity(r, d, false)}`,
      (x) => fits(x) && samePlace(x, d),
    );
  },
};

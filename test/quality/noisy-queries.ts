import { fold } from "../../src/domain/normalise/text.ts";
import type { CustomerDoc } from "../../src/search/search-engine.ts";

/** One quality query: what the agent types, whom they mean, and the evidence the query carries. */
export interface QualityQuery {
  type: string;
  q: string;
  expected: string;
  /** The true values of the fields this query rests on; another customer with the same key is indistinguishable. */
  evidence: (doc: CustomerDoc) => string;
}

/** A small seeded PRNG (mulberry32), so query sets are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const LETTERS = "abcdefghijklmnoprstuvwz";

/** One random typing error: a letter replaced, dropped or added (never the first letter). */
export function typo(r: Rand, word: string): string {
  const i = 1 + Math.floor(r() * (word.length - 1));
  const c = pick(
    r,
    [...LETTERS].filter((l) => l !== word[i]),
  );
  const kind = Math.floor(r() * 3);
  if (kind === 0) return word.slice(0, i) + c + word.slice(i + 1);
  if (kind === 1) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + c + word.slice(i);
}

/** Two adjacent letters swapped (`jansen` → `jasnen`). */
export function transpose(r: Rand, word: string): string {
  const i = 1 + Math.floor(r() * (word.length - 2));
  if (word[i] === word[i + 1]) return typo(r, word);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

const RESPELLINGS: Array<[RegExp, string]> = [
  [/ij/, "y"],
  [/eij/, "ey"],
  [/eij/, "ei"],
  [/y/, "ij"],
  [/ei(?!j)/, "ij"],
  [/(?<![aeiou])ij/, "ei"],
  [/dt$/, "t"],
  [/d$/, "t"],
  [/ch/, "g"],
  [/g/, "ch"],
  [/([kstnlmrp])\1/, "$1"],
  [/([aeiou])([kstnlmrp])([aeiou])/, "$1$2$2$3"],
  [/ck/, "k"],
  [/c/, "k"],
  [/ph/, "f"],
  [/au/, "ou"],
  [/ou/, "au"],
  [/z/, "s"],
];

/** A sound-alike spelling as a caller's name is heard (`meijer` → `meyer`), or null when none applies. */
export function respell(r: Rand, word: string): string | null {
  const options = RESPELLINGS.filter(([re]) => re.test(word.slice(1)));
  if (options.length === 0) return null;
  const [re, to] = pick(r, options);
  return word[0] + word.slice(1).replace(re, to);
}

const pad = (n: string | number) => String(n).padStart(2, "0");
const MONTHS = ["jan", "feb", "maart", "april", "mei", "juni", "juli", "aug", "sep", "okt", "nov", "dec"];

/** A birth date in one of the notations callers and agents use. */
export function dateNotation(r: Rand, iso: string): string {
  const [y, m, d] = iso.split("-") as [string, string, string];
  const dn = String(Number(d));
  const mn = String(Number(m));
  return pick(r, [
    `${d}-${m}-${y}`,
    `${dn}-${mn}-${y}`,
    `${y}-${m}-${d}`,
    `${y}${m}${d}`,
    `${d}/${m}/${y}`,
    `${dn}.${mn}.${y}`,
    `${d}${m}${y}`,
    `${dn} ${MONTHS[Number(m) - 1]} ${y}`,
    `${d}-${m}-${y.slice(2)}`,
  ]);
}

/** A postcode as typed: `1234 AB`, `1234ab`, `1234AB`, `1234 ab`. */
export function postcodeNotation(r: Rand, pc: string): string {
  return pick(r, [pc, pc.replace(" ", ""), pc.toLowerCase().replace(" ", ""), pc.toLowerCase()]);
}

/** A house number with its addition as typed: `12a`, `12-A`, `12 a`, `12A`. */
export function houseNotation(r: Rand, n: number, add?: string): string {
  if (!add) return String(n);
  // A number added to a number is never glued to it (`12-2`, not `122`).
  if (/^\d/.test(add)) return pick(r, [`${n}-${add}`, `${n} ${add}`]);
  return pick(r, [`${n}${add.toLowerCase()}`, `${n}-${add}`, `${n} ${add.toLowerCase()}`, `${n}${add}`]);
}

/** A phone number in a notation people use (`06-12345678`, `06 1234 5678`, `+31 6 12345678`, `0031…`). */
export function phoneNotation(r: Rand, e164: string): string {
  const national = `0${e164.slice(3)}`;
  if (!e164.startsWith("+31")) return e164;
  const mobile = national.startsWith("06");
  return pick(r, [
    national,
    mobile ? `06-${national.slice(2)}` : `${national.slice(0, 3)}-${national.slice(3)}`,
    mobile
      ? `06 ${national.slice(2, 6)} ${national.slice(6)}`
      : `${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`,
    `+31 ${national.slice(1, 2)} ${national.slice(2)}`,
    `0031${national.slice(1)}`,
    `+31 (0)${national.slice(1)}`,
  ]);
}

/** A policy number as read out: with or without separators, lower or upper case. */
export function policyNotation(r: Rand, pn: string): string {
  return pick(r, [
    pn,
    pn.toLowerCase(),
    pn.replace(/[^A-Za-z0-9]/g, ""),
    pn.replace(/[^A-Za-z0-9]/g, " ").trim(),
  ]);
}
export { fold, pad };

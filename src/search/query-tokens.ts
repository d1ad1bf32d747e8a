import { parseDutchDate } from "../domain/normalise/date.ts";
import { normalisePhone } from "../domain/normalise/phone.ts";

/** Dutch month names and abbreviations as callers say them (`12 maart 1980`, `12 mrt 1980`). */
const MONTHS: Record<string, number> = {
  jan: 1,
  januari: 1,
  feb: 2,
  februari: 2,
  mrt: 3,
  maa: 3,
  maart: 3,
  apr: 4,
  april: 4,
  mei: 5,
  jun: 6,
  juni: 6,
  jul: 7,
  juli: 7,
  aug: 8,
  augustus: 8,
  sep: 9,
  sept: 9,
  september: 9,
  okt: 10,
  oct: 10,
  oktober: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const pad = (n: number) => String(n).padStart(2, "0");

function isoIfReal(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y < 1850 || y > 2200) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * A two-digit year is a birth year: `80` is 1980, and a year not after this year's two digits is this
 * century (`05` → 2005). Agents rarely type two digits for the very old, and the scorer also
 * tolerates a wrong century weakly through the one-digit-typo rule.
 */
function expandYear(yy: number, today: Date): number {
  const cut = today.getUTCFullYear() % 100;
  return yy <= cut ? 2000 + yy : 1900 + yy;
}

/**
 * Parses one date token in any common notation: those of `parseDutchDate`, plus `ddmmjjjj`,
 * two-digit years (`12-03-80`) and `12/3/'80`. Null when it is not a real calendar date.
 */
export function parseQueryDate(token: string, today = new Date()): string | null {
  const s = token.trim().replace(/'/g, "");
  const direct = parseDutchDate(s);
  if (direct) return direct;
  let m = /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  if (m) return isoIfReal(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2})$/.exec(s);
  if (m) return isoIfReal(expandYear(Number(m[3]), today), Number(m[2]), Number(m[1]));
  return null;
}

/** A date spread over three tokens: `12 03 1980` or `12 maart 1980`; null otherwise. */
export function parseSpacedDate(a: string, b: string, c: string): string | null {
  if (!/^\d{1,2}$/.test(a) || !/^\d{4}$/.test(c)) return null;
  const month = /^\d{1,2}$/.test(b) ? Number(b) : MONTHS[b.toLowerCase().replace(/\.$/, "")];
  if (!month) return null;
  return isoIfReal(Number(c), month, Number(a));
}

const PHONE_CHARS = /^[+\d\-().]+$/;

/**
 * Tries to read a phone number starting at token `i`, joining up to four following tokens
 * (`06 1234 5678`, `+31 6 12345678`). Answers the E.164 number and how many tokens it used.
 */
export function readPhone(tokens: readonly string[], i: number): { e164: string; used: number } | null {
  const first = tokens[i]!;
  if (!/^(\+|\(?0)/.test(first) || !PHONE_CHARS.test(first)) return null;
  let best: { e164: string; used: number } | null = null;
  let joined = "";
  for (let j = i; j < Math.min(tokens.length, i + 5); j++) {
    if (!PHONE_CHARS.test(tokens[j]!)) break;
    joined += tokens[j];
    const digits = joined.replace(/\D/g, "").length;
    if (digits > 15) break;
    if (digits < 9) continue;
    const e164 = normalisePhone(joined);
    if (e164) best = { e164, used: j - i + 1 };
  }
  return best;
}

import { isValid, parse } from "date-fns";

const FORMATS: Array<[RegExp, string]> = [
  [/^\d{4}-\d{1,2}-\d{1,2}$/, "yyyy-M-d"],
  [/^\d{1,2}-\d{1,2}-\d{4}$/, "d-M-yyyy"],
  [/^\d{1,2}\/\d{1,2}\/\d{4}$/, "d/M/yyyy"],
  [/^\d{1,2}\.\d{1,2}\.\d{4}$/, "d.M.yyyy"],
  [/^\d{8}$/, "yyyyMMdd"],
];

/**
 * Parses a calendar date in the notations partners and callers use (`dd-mm-jjjj`, `d-m-jjjj`,
 * `jjjj-mm-dd`, `jjjjmmdd`, also with `/` or `.`) to `yyyy-mm-dd`; null when it is not a real date.
 */
export function parseDutchDate(input: string): string | null {
  const s = input.trim();
  for (const [re, fmt] of FORMATS) {
    if (!re.test(s)) continue;
    // A fixed reference date keeps parsing independent of today's date.
    const d = parse(s, fmt, new Date(2000, 0, 1));
    if (!isValid(d)) return null;
    const y = d.getFullYear();
    if (y < 1850 || y > 2200) return null;
    return `${String(y).padStart(4, "0")}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  }
  return null;
}

/** Day-month-year notations (`-`, `/` or `.` separated) and year-first ones, with their field order. */
const DMY = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$/;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Parses a calendar date in the notations partners and callers use (`dd-mm-jjjj`, `d-m-jjjj`,
 * `jjjj-mm-dd`, `jjjjmmdd`, also with `/` or `.`) to `yyyy-mm-dd`; null when it is not a real date.
 * Hand-written rather than date-fns `parse`: it runs for every date of every delivery row.
 */
export function parseDutchDate(input: string): string | null {
  const s = input.trim();
  let m = DMY.exec(s);
  if (m) return isoDate(Number(m[4]), Number(m[3]), Number(m[1]));
  m = YMD.exec(s) ?? COMPACT.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  return null;
}

/** `yyyy-mm-dd` for a real calendar date within 1850–2200 (wider is a typo), else null. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1850 || year > 2200 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

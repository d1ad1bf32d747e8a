/** A house number with its addition (toevoeging), e.g. `12a` → `{ number: 12, addition: "A" }`. */
export interface HouseNumber {
  number: number;
  addition?: string;
}

/**
 * Parses house numbers as people write them: `12`, `12a`, `12-A`, `12 A`, `12 bis`, `12-2hg`, `12/3`.
 * An addition given separately (the `toevoeging` column) is appended. Null when there is no number.
 */
export function parseHouseNumber(input: string, addition?: string): HouseNumber | null {
  const m = /^\s*(\d{1,6})(?!\d)\s*[-/\s]?\s*([\p{L}\d][\p{L}\d\s\-/]*)?\s*$/u.exec(input);
  if (!m) return null;
  const number = Number(m[1]);
  if (number <= 0) return null;
  const add = normaliseAddition(`${m[2] ?? ""}${addition ?? ""}`);
  return add ? { number, addition: add } : { number };
}

/** Normalises a toevoeging: upper case, separators removed (`-a` → `A`, `2 hg` → `2HG`). */
export function normaliseAddition(input: string): string | undefined {
  const s = input.toUpperCase().replace(/[^\p{L}\d]/gu, "");
  return s.length > 0 ? s : undefined;
}

/** Writes a house number back in one notation that parses to the same value (`12A`, `12-2HG`). */
export function formatHouseNumber(h: HouseNumber): string {
  if (!h.addition) return String(h.number);
  // A digit right after the number would be read as part of it.
  return /^\d/.test(h.addition) ? `${h.number}-${h.addition}` : `${h.number}${h.addition}`;
}

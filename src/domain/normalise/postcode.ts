const DUTCH = /^([1-9]\d{3})\s*([A-Za-z]{2})$/;
// SA, SD and SS are not issued (they carry wartime connotations).
const NOT_ISSUED = new Set(["SA", "SD", "SS"]);

/** Normalises a Dutch postcode to `1234 AB`; null when it is not a valid Dutch postcode. */
export function normaliseDutchPostcode(input: string): string | null {
  const m = DUTCH.exec(input.trim());
  if (!m) return null;
  const letters = m[2]!.toUpperCase();
  if (NOT_ISSUED.has(letters)) return null;
  return `${m[1]} ${letters}`;
}

/** The 4-digit area (`1234`) of a normalised Dutch postcode. */
export function postcodeArea(postcode: string): string {
  return postcode.slice(0, 4);
}

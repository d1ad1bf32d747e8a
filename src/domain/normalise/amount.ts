/**
 * Parses an amount with a decimal comma or point (`1.234,56`, `1234.56`, `€ 250`, `250,-`) to a number;
 * null when it is not an amount.
 */
export function parseAmount(input: string): number | null {
  let s = input.trim().replace(/^€\s*/, "").replace(/,-$/, "").replace(/\s/g, "");
  if (!/^-?[\d.,]+$/.test(s) || !/\d/.test(s)) return null;
  const lastComma = s.lastIndexOf(",");
  const lastDot = s.lastIndexOf(".");
  if (lastComma > lastDot) {
    s = s.replace(/\./g, "").replace(",", ".");
  } else if (lastDot > lastComma && lastComma >= 0) {
    s = s.replace(/,/g, "");
  } else if (lastDot >= 0 && s.indexOf(".") !== lastDot) {
    s = s.replace(/\./g, ""); // 1.234.567: thousands separators only
  } else if (lastDot >= 0 && /^\d{1,3}\.\d{3}$/.test(s.replace(/^-/, ""))) {
    // `1.250` in a Dutch file is one thousand two hundred and fifty, not 1.25.
    s = s.replace(".", "");
  }
  if ((s.match(/,/g) ?? []).length > 0) return null;
  // More than two decimals is not an amount in euros; refusing beats silently rounding it.
  if (/\.\d{3,}$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? Math.round(n * 100) / 100 : null;
}

import { isoDate } from "../domain/normalise/date.ts";

/** Tokens of a profile's `dateFormat`: `dd`/`d` day, `MM`/`M` month, `yyyy` year; anything else literal. */
const TOKEN = /yyyy|MM|M|dd|d/g;

/**
 * Compiles a fixed date notation such as `dd.MM.yyyy` or `MM/dd/yyyy` into a parser returning
 * `yyyy-mm-dd` (null for text in another notation or an impossible date); null for a format without
 * exactly one day, month and year. Hand-written: date-fns costs ~150 MB RSS to load.
 */
export function compileDateFormat(format: string): ((input: string) => string | null) | null {
  const order: Array<"y" | "m" | "d"> = [];
  let pattern = "";
  let last = 0;
  for (const match of format.matchAll(TOKEN)) {
    pattern += escapeRegExp(format.slice(last, match.index));
    const token = match[0];
    order.push(token === "yyyy" ? "y" : token.startsWith("M") ? "m" : "d");
    pattern += token === "yyyy" ? "(\\d{4})" : token.length === 2 ? "(\\d{2})" : "(\\d{1,2})";
    last = match.index + token.length;
  }
  pattern += escapeRegExp(format.slice(last));
  if (order.length !== 3 || new Set(order).size !== 3 || /[a-zA-Z]/.test(format.replace(TOKEN, "")))
    return null;
  const re = new RegExp(`^${pattern}$`);
  return (input) => {
    const m = re.exec(input.trim());
    if (!m) return null;
    const part = (p: "y" | "m" | "d") => Number(m[order.indexOf(p) + 1]);
    return isoDate(part("y"), part("m"), part("d"));
  };
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

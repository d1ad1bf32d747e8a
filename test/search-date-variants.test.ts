import { describe, expect, it } from "vitest";
import { dateVariants } from "../src/search/customer-search-service.ts";

// A reference implementation (a Date per candidate): the arithmetic must answer as it does.
function reference(iso: string): string[] {
  const real = (c: string) => {
    const t = new Date(`${c}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(c);
  };
  const [y, m, d] = iso.split("-");
  const swapped = `${y}-${d}-${m}`;
  const out = new Set(swapped !== iso && real(swapped) ? [iso, swapped] : [iso]);
  const digits = iso.replace(/-/g, "");
  for (let i = 0; i < digits.length; i++) {
    for (let n = 0; n <= 9; n++) {
      const v = `${digits.slice(0, i)}${n}${digits.slice(i + 1)}`;
      const c = `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}`;
      const year = Number(v.slice(0, 4));
      if (year >= 1900 && year <= 2100 && real(c)) out.add(c);
    }
  }
  return [...out];
}

describe("dateVariants", () => {
  it("gives the same variants, in the same order, as the Date-based check (1899–2101; century years whole)", () => {
    let checked = 0;
    const whole = new Set([1899, 1900, 1901, 1999, 2000, 2001, 2099, 2100, 2101]);
    for (let t = Date.UTC(1899, 0, 1), n = 0; t <= Date.UTC(2101, 11, 31); t += 86_400_000, n++) {
      const iso = new Date(t).toISOString().slice(0, 10);
      if (n % 7 !== 0 && !whole.has(Number(iso.slice(0, 4)))) continue;
      expect(dateVariants(iso), iso).toEqual(reference(iso));
      checked++;
    }
    expect(checked).toBeGreaterThan(13_000);
  });

  it("swaps day and month only into a real date and never offers 29 February of a common year", () => {
    expect(dateVariants("1980-03-12")).toContain("1980-12-03");
    expect(dateVariants("1980-02-29")).not.toContain("1981-02-29");
    expect(dateVariants("1980-02-29")).toContain("1988-02-29");
    expect(dateVariants("1980-05-31")).not.toContain("1980-31-05");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDutchDate } from "./date.ts";

describe("parseDutchDate", () => {
  it.each([
    ["01-03-1980", "1980-03-01"],
    ["1-3-1980", "1980-03-01"],
    ["1980-03-01", "1980-03-01"],
    ["19800301", "1980-03-01"],
    ["1/3/1980", "1980-03-01"],
    ["01.03.1980", "1980-03-01"],
    [" 29-02-2024 ", "2024-02-29"],
  ])("%s → %s", (input, expected) => expect(parseDutchDate(input)).toBe(expected));

  it.each([
    ["31 February", "31-02-1980"],
    ["29 February in a non-leap year", "29-02-2023"],
    ["month 13", "2020-13-01"],
    ["day 0", "00-01-2020"],
    ["a two-digit year", "1-3-80"],
    ["an American date with month > 12", "03/31/1980"],
    ["text", "gisteren"],
    ["a year before 1850", "01-01-1492"],
    ["empty", ""],
  ])("rejects %s (%s)", (_why, input) => expect(parseDutchDate(input)).toBeNull());

  const dates = fc
    .date({ min: new Date(Date.UTC(1850, 0, 1)), max: new Date(Date.UTC(2199, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it("reads a date back from each of the four contract notations", () => {
    fc.assert(
      fc.property(dates, (iso) => {
        const [y, m, d] = iso.split("-") as [string, string, string];
        for (const notation of [`${d}-${m}-${y}`, `${Number(d)}-${Number(m)}-${y}`, iso, `${y}${m}${d}`]) {
          expect(parseDutchDate(notation)).toBe(iso);
        }
      }),
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(dates, (iso) => {
        expect(parseDutchDate(parseDutchDate(iso)!)).toBe(iso);
      }),
    );
  });
});

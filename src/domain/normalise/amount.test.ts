import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAmount } from "./amount.ts";

describe("parseAmount", () => {
  it.each([
    ["1.234,56", 1234.56],
    ["1234,56", 1234.56],
    ["1234.56", 1234.56],
    ["1,234.56", 1234.56],
    ["250", 250],
    ["250,-", 250],
    ["€ 250", 250],
    ["€250,00", 250],
    ["1.250", 1250],
    ["1.234.567", 1234567],
    ["0,5", 0.5],
    ["-12,50", -12.5],
  ])("%s → %d", (input, expected) => expect(parseAmount(input)).toBe(expected));

  it.each([
    ["text", "tweehonderd"],
    ["a formula", "=SUM(A1:A2)"],
    ["three decimals after a comma", "12,345"],
    ["two commas", "1,234,567"],
    ["only separators", ".,"],
    ["empty", ""],
  ])("rejects %s", (_why, input) => expect(parseAmount(input)).toBeNull());

  const cents = fc.integer({ min: -100_000_000, max: 100_000_000 }).map((c) => c / 100);

  it("is idempotent: an amount written as a number reads back the same", () => {
    fc.assert(
      fc.property(cents, (n) => {
        expect(parseAmount(String(n))).toBe(n);
      }),
    );
  });

  it("reads the Dutch notation with thousands dots and decimal comma", () => {
    fc.assert(
      fc.property(cents, (n) => {
        const [whole, frac] = Math.abs(n).toFixed(2).split(".") as [string, string];
        const dutch = `${n < 0 ? "-" : ""}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".")},${frac}`;
        expect(parseAmount(dutch)).toBe(n);
      }),
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normaliseDutchPostcode, postcodeArea } from "./postcode.ts";

describe("normaliseDutchPostcode", () => {
  it.each([
    ["1234 AB", "1234 AB"],
    ["1234ab", "1234 AB"],
    [" 1234  ab ", "1234 AB"],
    ["9999 ZZ", "9999 ZZ"],
    ["1000 AA", "1000 AA"],
  ])("%s → %s", (input, expected) => expect(normaliseDutchPostcode(input)).toBe(expected));

  it.each(["0123 AB", "1234 SS", "1234 SA", "1234 sd", "12345", "1234 A", "ABCD 12", "1234-AB", ""])(
    "rejects %j",
    (input) => expect(normaliseDutchPostcode(input)).toBeNull(),
  );

  it("gives the 4-digit area", () => expect(postcodeArea("1234 AB")).toBe("1234"));

  const valid = fc
    .tuple(fc.integer({ min: 1000, max: 9999 }), fc.stringMatching(/^[A-Z]{2}$/))
    .filter(([, letters]) => !["SA", "SD", "SS"].includes(letters));

  it("a valid postcode in any spacing and case normalises to the same value", () => {
    fc.assert(
      fc.property(valid, fc.constantFrom("", " ", "  "), fc.boolean(), ([digits, letters], space, lower) => {
        const canonical = `${digits} ${letters}`;
        const written = `${digits}${space}${lower ? letters.toLowerCase() : letters}`;
        expect(normaliseDutchPostcode(written)).toBe(canonical);
        expect(normaliseDutchPostcode(canonical)).toBe(canonical);
      }),
    );
  });
});

import { describe, expect, it } from "vitest";
import { normaliseDutchPostcode, postcodeArea } from "./postcode.ts";

describe("normaliseDutchPostcode", () => {
  it.each([
    ["1234 AB", "1234 AB"],
    ["1234ab", "1234 AB"],
    [" 1234  ab ", "1234 AB"],
  ])("%s → %s", (input, expected) => expect(normaliseDutchPostcode(input)).toBe(expected));
  it.each(["0123 AB", "1234 SS", "12345", "1234 A", "ABCD 12"])("rejects %s", (input) =>
    expect(normaliseDutchPostcode(input)).toBeNull(),
  );
  it("gives the 4-digit area", () => expect(postcodeArea("1234 AB")).toBe("1234"));
});

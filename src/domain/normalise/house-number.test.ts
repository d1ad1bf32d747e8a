import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatHouseNumber, parseHouseNumber } from "./house-number.ts";

describe("parseHouseNumber", () => {
  it.each([
    ["12", undefined, { number: 12 }],
    ["12a", undefined, { number: 12, addition: "A" }],
    ["12A", undefined, { number: 12, addition: "A" }],
    ["12-A", undefined, { number: 12, addition: "A" }],
    ["12 a", undefined, { number: 12, addition: "A" }],
    ["12 bis", undefined, { number: 12, addition: "BIS" }],
    ["12-2hg", undefined, { number: 12, addition: "2HG" }],
    ["12/3", undefined, { number: 12, addition: "3" }],
    ["12", "a", { number: 12, addition: "A" }],
    ["12", "-2", { number: 12, addition: "2" }],
    ["123456", undefined, { number: 123456 }],
  ])("%s with toevoeging %s", (input, addition, expected) =>
    expect(parseHouseNumber(input, addition)).toEqual(expected),
  );

  it.each(["", "a", "0", "twaalf", "1234567", "-12"])("rejects %j", (input) =>
    expect(parseHouseNumber(input)).toBeNull(),
  );

  it("round-trips: a formatted house number parses to itself", () => {
    const addition = fc.option(fc.stringMatching(/^[A-Z0-9]{1,4}$/), { nil: undefined });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99999 }), addition, (number, add) => {
        const h = add ? { number, addition: add } : { number };
        expect(parseHouseNumber(formatHouseNumber(h))).toEqual(h);
      }),
    );
  });
});

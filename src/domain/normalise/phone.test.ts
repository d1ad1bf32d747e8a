import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalisePhone } from "./phone.ts";

describe("normalisePhone", () => {
  it.each([
    ["06-12345678", "+31612345678"],
    ["0612345678", "+31612345678"],
    ["06 1234 5678", "+31612345678"],
    ["+31 6 1234 5678", "+31612345678"],
    ["+31 (0)6 12345678", "+31612345678"],
    ["0031612345678", "+31612345678"],
    ["0031 6 12345678", "+31612345678"],
    ["31612345678", "+31612345678"],
    ["612345678", "+31612345678"],
    ["+310612345678", "+31612345678"],
    ["020-1234567", "+31201234567"],
    ["020 123 4567", "+31201234567"],
    ["(020) 123 45 67", "+31201234567"],
    ["0570-123456", "+31570123456"],
    ["+32 2 123 45 67", "+3221234567"],
    ["0049 30 1234567", "+49301234567"],
  ])("%s → %s", (input, expected) => expect(normalisePhone(input)).toBe(expected));

  it.each([
    ["too short for a Dutch number", "06-1234567"],
    ["too long for a Dutch number", "06-123456789"],
    ["letters", "06-CALLME"],
    ["a formula", '=HYPERLINK("tel:0612345678")'],
    ["empty", ""],
  ])("rejects %s", (_why, input) => expect(normalisePhone(input)).toBeNull());

  it("is idempotent: an E.164 number stays itself", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^0[1-9]\d{8}$/), (national) => {
        const e164 = normalisePhone(national);
        expect(e164).toMatch(/^\+31[1-9]\d{8}$/);
        expect(normalisePhone(e164!)).toBe(e164);
      }),
    );
  });

  it("reads the same Dutch number the same in every notation", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^6\d{8}$/), fc.constantFrom(" ", "-", ""), (digits, sep) => {
        const expected = `+31${digits}`;
        expect(normalisePhone(`0${digits.slice(0, 1)}${sep}${digits.slice(1)}`)).toBe(expected);
        expect(normalisePhone(`+31${sep}${digits.slice(0, 1)}${sep}${digits.slice(1)}`)).toBe(expected);
        expect(normalisePhone(`0031${digits}`)).toBe(expected);
      }),
    );
  });
});

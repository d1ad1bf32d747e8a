import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { editDistance, isTypo, typoBudget } from "./similarity.ts";

describe("editDistance", () => {
  it.each([
    ["jansen", "jansen", 0],
    ["jansen", "jansne", 1], // adjacent letters swapped: one edit, not two
    ["jansen", "janssen", 1],
    ["jansen", "jansn", 1],
    ["jansen", "hansen", 1],
    ["bakker", "baker", 1],
    ["vries", "fries", 1],
    ["meijer", "meyer", 2],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
  ])("%s ↔ %s = %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it("stops early with max + 1 when the distance exceeds the bound", () => {
    expect(editDistance("jansen", "pietersen", 2)).toBe(3);
    expect(editDistance("a", "abcdefgh", 1)).toBe(2);
  });

  it("is symmetric, zero only for equal strings, and never more than the longer length", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(editDistance(b, a)).toBe(d);
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(Math.min(editDistance(a, b, 2), 3)).toBe(Math.min(d, 3));
      }),
    );
  });
});

describe("typo tolerance", () => {
  it("forgives nothing in short words, one edit in medium and two in long ones", () => {
    expect([typoBudget(3), typoBudget(4), typoBudget(7), typoBudget(8)]).toEqual([0, 1, 1, 2]);
  });
  it.each([
    ["jansne", "jansen", true],
    ["jong", "jonk", true],
    ["bos", "vos", false], // three letters: a different name, not a typo
    ["vermeulen", "vermuelen", true],
    ["vermeulen", "vermeuln", true],
    ["pietersen", "peters", false],
  ])("%s as a typo of %s: %s", (typed, target, expected) => expect(isTypo(typed, target)).toBe(expected));
});

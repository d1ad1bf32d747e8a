import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  displayCase,
  expandTussenvoegsel,
  initialsFromFirstNames,
  normaliseInitials,
  splitSurname,
} from "./name.ts";

describe("splitSurname", () => {
  it.each([
    ["van der Berg", "van der", "Berg"],
    ["Berg, van der", "van der", "Berg"],
    ["Berg,van der", "van der", "Berg"],
    ["de Vries", "de", "Vries"],
    ["De Vries", "de", "Vries"],
    ["in 't Veld", "in 't", "Veld"],
    ["van 't Hof", "van 't", "Hof"],
    ["ter Horst", "ter", "Horst"],
    ["v.d. Berg", "van de", "Berg"],
    ["de Vries-van Dam", "de", "Vries-van Dam"],
    ["Jansen-de Vries", undefined, "Jansen-de Vries"],
    ["Jansen", undefined, "Jansen"],
    ["Çelik", undefined, "Çelik"],
    ["El Amrani", undefined, "El Amrani"],
    ["van", undefined, "van"],
    ["  van   den   Heuvel ", "van den", "Heuvel"],
  ])("%s → %s + %s", (input, tussenvoegsel, surname) => {
    const split = splitSurname(input);
    expect(split.tussenvoegsel).toBe(tussenvoegsel);
    expect(split.surname).toBe(surname);
  });

  it("is idempotent on the surname it leaves", () => {
    const name = fc.constantFrom("Berg", "Vries", "Jansen-de Vries", "Çelik", "Heuvel", "El Amrani");
    const prefix = fc.constantFrom("", "van ", "van der ", "de ", "in 't ", "ter ");
    fc.assert(
      fc.property(prefix, name, (p, n) => {
        const once = splitSurname(`${p}${n}`);
        expect(splitSurname(once.surname).surname).toBe(once.surname);
        expect(once.surname).toBe(n);
      }),
    );
  });
});

describe("expandTussenvoegsel", () => {
  it.each([
    ["V.D.", "van de"],
    ["vd", "van de"],
    ["Van Der", "van der"],
    ["in ’t", "in 't"],
  ])("%s → %s", (input, expected) => expect(expandTussenvoegsel(input)).toBe(expected));
});

describe("initials", () => {
  it.each([
    ["JP", "J.P."],
    ["J.P.", "J.P."],
    ["j.p", "J.P."],
    ["j p", "J.P."],
    ["jp", "J.P."],
    ["Th.J.", "Th.J."],
    ["Z.", "Z."],
  ])("normaliseInitials(%s) → %s", (input, expected) => expect(normaliseInitials(input)).toBe(expected));

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z]{1,4}$/), (s) => {
        const once = normaliseInitials(s)!;
        expect(normaliseInitials(once)).toBe(once);
      }),
    );
  });

  it.each([
    ["Jan Pieter", "J.P."],
    ["Jan-Pieter", "J.P."],
    ["Zoë", "Z."],
    ["Anaïs Maria", "A.M."],
  ])("initialsFromFirstNames(%s) → %s", (input, expected) =>
    expect(initialsFromFirstNames(input)).toBe(expected),
  );
});

describe("displayCase", () => {
  it.each([
    ["JANSEN", "Jansen"],
    ["jansen-de vries", "Jansen-De Vries"],
    ["McDonald", "McDonald"],
  ])("%s → %s", (input, expected) => expect(displayCase(input)).toBe(expected));
});

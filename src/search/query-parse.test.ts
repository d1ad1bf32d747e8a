import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../domain/errors.ts";
import { type ParsedQuery, parseQuery } from "./query-parse.ts";

const TODAY = new Date(Date.UTC(2026, 10, 25));
const q = (text: string) => parseQuery({ q: text, limit: 10 }, TODAY);

describe("parseQuery: what an agent types in the box", () => {
  it.each<[string, Partial<ParsedQuery>]>([
    [
      "jansen 1234ab 12a",
      { names: ["jansen"], postcode: "1234 AB", houseNumber: { number: 12, addition: "A" } },
    ],
    [
      "Jansen 1234 AB 12-A",
      { names: ["jansen"], postcode: "1234 AB", houseNumber: { number: 12, addition: "A" } },
    ],
    ["1234 ab 12 bis", { postcode: "1234 AB", houseNumber: { number: 12, addition: "BIS" } }],
    [
      "3512jk 4-2hg",
      { postcode: "3512 JK", postcodeArea: "3512", houseNumber: { number: 4, addition: "2HG" } },
    ],
    ["v.d. Berg 12-03-1980", { names: ["berg"], tussenvoegsel: "van de", birthDate: "1980-03-12" }],
    ["Berg, van der", { names: ["berg"], tussenvoegsel: "van der" }],
    ["berg vd", { names: ["berg"], tussenvoegsel: "van de" }],
    ["van der Berg", { names: ["berg"], tussenvoegsel: "van der" }],
    ["de vries amsterdam", { names: ["vries", "amsterdam"], tussenvoegsel: "de" }],
    ["jansen-de vries", { names: ["jansen", "vries"] }],
    ["J.P. Jansen", { names: ["jansen"], initials: "jp" }],
    ["jp. jansen", { names: ["jansen"], initials: "jp" }],
    ["J.P.Jansen", { names: ["jansen"], initials: "jp" }],
    ["Çelik", { names: ["celik"], typedNames: ["çelik"] }],
    ["0612345678", { phones: ["+31612345678"], names: [] }],
    ["06-12345678", { phones: ["+31612345678"] }],
    ["06 12 34 56 78", { phones: ["+31612345678"], policyNumbers: [] }],
    ["06 1234 5678 jansen", { phones: ["+31612345678"], names: ["jansen"] }],
    ["+31 (0)6 12345678", { phones: ["+31612345678"] }],
    ["020-1234567", { phones: ["+31201234567"] }],
    ["RB-00012345", { policyNumbers: ["RB00012345"] }],
    ["TB 22894 91", { policyNumbers: expect.arrayContaining(["TB2289491"]) }],
    ["jan.jansen@example.nl", { email: "jan.jansen@example.nl", names: [] }],
  ])("%s", (text, expected) => expect(q(text)).toMatchObject(expected));

  it.each([
    ["12-03-1980", "1980-03-12"],
    ["1-3-1980", "1980-03-01"],
    ["1980-03-12", "1980-03-12"],
    ["19800312", "1980-03-12"],
    ["12031980", "1980-03-12"],
    ["12/03/1980", "1980-03-12"],
    ["12.3.1980", "1980-03-12"],
    ["12-03-80", "1980-03-12"],
    ["12-03-05", "2005-03-12"],
    ["12 maart 1980", "1980-03-12"],
    ["12 03 1980", "1980-03-12"],
  ])("reads the date %s as %s", (text, iso) => expect(q(`bakker ${text}`).birthDate).toBe(iso));

  it("does not take an impossible date for a date", () => {
    expect(q("bakker 31-02-1980").birthDate).toBeUndefined();
  });

  it("reads a lone 4-digit number as a postcode area and, when it can be, a birth year", () => {
    expect(q("bakker 1980")).toMatchObject({ postcodeArea: "1980", birthYear: "1980" });
    expect(q("bakker 3512")).toMatchObject({ postcodeArea: "3512" });
    expect(q("bakker 3512").birthYear).toBeUndefined();
  });

  it("reads a 4-digit number right after a postcode as the house number", () => {
    expect(q("1234AB 1012")).toMatchObject({ postcode: "1234 AB", houseNumber: { number: 1012 } });
  });

  it("keeps `1234 de vries` a postcode area followed by a name, not postcode 1234 DE", () => {
    expect(q("1234 de vries")).toMatchObject({ postcodeArea: "1234", tussenvoegsel: "de", names: ["vries"] });
    expect(q("1234 de vries").postcode).toBeUndefined();
  });

  it("marks the last typed name word as a prefix (search as you type)", () => {
    expect(q("jansen pie").prefix).toBe("pie");
    expect(q("jansen 12-03-1980").prefix).toBeUndefined();
  });

  it("reads structured fields and rejects ones that do not parse", () => {
    const parsed = parseQuery(
      {
        name: "van der Berg",
        birthDate: "12-3-1980",
        postcode: "1234ab",
        houseNumber: "12a",
        phone: "06-12345678",
        policyNumber: "rb-123",
        city: "Den Haag",
        limit: 10,
      },
      TODAY,
    );
    expect(parsed).toMatchObject({
      names: ["berg"],
      tussenvoegsel: "van der",
      birthDate: "1980-03-12",
      postcode: "1234 AB",
      houseNumber: { number: 12, addition: "A" },
      phones: ["+31612345678"],
      policyNumbers: ["RB123"],
      city: ["den", "haag"],
    });
    expect(() => parseQuery({ phone: "jansen", limit: 10 })).toThrow(/phone is not a phone number/);
    expect(() => parseQuery({ birthDate: "31-02-1980", limit: 10 })).toThrow(/birthDate is not a date/);
  });
});

describe("parseQuery: bad input is a clear VALIDATION_FAILED", () => {
  it.each([
    ["empty", { limit: 10 }, /nothing to look for/],
    ["whitespace", { q: "   ", limit: 10 }, /no letters or digits/],
    ["only punctuation", { q: "?!.,-", limit: 10 }, /no letters or digits/],
    ["control characters", { q: "jansen\u0000", limit: 10 }, /control characters/],
    ["over-long text", { q: "a".repeat(201), limit: 10 }, /longer than 200/],
    ["too many terms", { q: "a b c d e f g h i j k l m n o p q", limit: 10 }, /more than 16 terms/],
  ])("%s", (_label, input, message) => {
    try {
      parseQuery(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe("VALIDATION_FAILED");
      expect((e as AppError).message).toMatch(message);
    }
  });

  it("never throws anything but AppError and keeps its output bounded, whatever is typed", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: "grapheme" }), (text) => {
        try {
          const p = parseQuery({ q: text, limit: 10 });
          expect(p.names.length).toBeLessThanOrEqual(8);
          expect(p.phones.length).toBeLessThanOrEqual(3);
          expect(p.policyNumbers.length).toBeLessThanOrEqual(6);
          expect((p.initials ?? "").length).toBeLessThanOrEqual(6);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("understands queries built from realistic pieces in any order", () => {
    const piece = fc.constantFrom(
      "jansen",
      "v.d.",
      "Berg",
      "1234ab",
      "12a",
      "12-03-1980",
      "06-12345678",
      ",",
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (pieces) => {
        try {
          parseQuery({ q: pieces.join(" "), limit: 10 });
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
        }
      }),
    );
  });
});

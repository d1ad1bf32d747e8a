import { describe, expect, it } from "vitest";
import type { SearchResult } from "../search/customer-search.ts";
import { parseQuery } from "../search/query-parse.ts";
import {
  firstMatchesOfJson,
  isSpecific,
  kindsOfMatches,
  kindsOfQuery,
  restrictAnswer,
} from "./search-specificity.ts";

describe("which searches can identify someone (decided from the parsed query)", () => {
  it.each([
    ["a single letter", { q: "a" }, false],
    ["a city alone", { city: "Utrecht" }, false],
    ["a lone first name", { q: "Jan" }, false],
    ["a surname alone", { name: "Jansen" }, false],
    ["initials and a surname (one attribute)", { name: "J. Jansen" }, false],
    ["a year alone (birth year or postcode area)", { q: "1980" }, false],
    ["a postcode alone", { postcode: "1234 AB" }, false],
    ["a street and a city", { street: "Kerkstraat", city: "Utrecht" }, false],
    ["a policy number", { policyNumber: "VA-1001" }, true],
    ["a phone number", { q: "06-12345678" }, true],
    ["an e-mail address", { email: "jan@example.nl" }, true],
    ["a surname and a birth date", { q: "Jansen 12-03-1975" }, true],
    ["a surname and a birth year", { q: "Jansen 1980" }, true],
    ["a surname and a city", { name: "Jansen", city: "Utrecht" }, true],
    ["a postcode and a house number", { q: "1234 AB 12" }, true],
    ["street, house number and city", { street: "Kerkstraat", houseNumber: "12", city: "Utrecht" }, true],
    ["two name words: the best result decides", { q: "Jansen Utrecht" }, true],
  ])("%s: %s", (_name, input, specific) => {
    expect(isSpecific(kindsOfQuery(parseQuery({ limit: 10, ...input })))).toBe(specific);
  });
});

describe("what the best result matched must identify too", () => {
  it.each([
    ["a first name and a surname", ["surname", "firstNames"], true],
    ["initials and a surname", ["surname", "initials", "tussenvoegsel"], false],
    ["a first name only", ["firstNames"], false],
    ["surname and city", ["surname", "city"], true],
    ["city only (the phone given matched nobody)", ["city"], false],
    ["the policy number", ["policyNumber"], true],
    ["the postcode area and a house number", ["postcode:partial", "houseNumber"], false],
    ["the postcode and a house number", ["postcode", "houseNumber"], true],
  ])("%s: %s", (_name, fields, specific) => {
    const matches = fields.map((f) => {
      const [field, kind] = f.split(":");
      return { field: field!, kind: (kind ?? "exact") as "exact" | "partial" };
    });
    expect(isSpecific(kindsOfMatches(matches))).toBe(specific);
  });
});

const result = (id: string): SearchResult => ({
  customerId: id,
  score: 3,
  confidence: 0.4,
  matches: [{ field: "city", kind: "exact" }],
  customer: {
    kind: "P",
    displayName: "M. Jansen",
    surname: "Jansen",
    birthDate: "1980-07-21",
    address: { street: "Dorpsweg", houseNumber: 3, postcode: "5678 CD", city: "Utrecht", country: "NL" },
    phones: ["+31201234567"],
    email: "m@example.nl",
  },
  policies: [
    {
      policyNumber: "VA-1002",
      partner: "P",
      product: "X",
      status: "actief",
      startDate: "2024-01-01",
      endDate: null,
      modules: [],
    },
  ],
});

describe("a restricted answer", () => {
  it("holds at most 10 results with a name and a city only, and says there is more", () => {
    const answer = {
      results: Array.from({ length: 12 }, (_, i) => result(`c${i}`)),
      hasMore: false,
      tookMs: 1,
    };
    const cut = restrictAnswer(answer);
    expect(cut.restricted).toBe(true);
    expect(cut.hasMore).toBe(true);
    expect(cut.results).toHaveLength(10);
    expect(cut.results[0]).toEqual({
      customerId: "c0",
      score: 3,
      confidence: 0.4,
      matches: [{ field: "city", kind: "exact" }],
      customer: { kind: "P", displayName: "M. Jansen", address: { city: "Utrecht", country: "NL" } },
      policies: [],
    });
  });

  it("the first result's matches are read from the JSON body without parsing it whole", () => {
    const json = JSON.stringify({
      results: [result("a"), { ...result("b"), matches: [] }],
      hasMore: false,
      tookMs: 1,
    });
    expect(firstMatchesOfJson(json)).toEqual([{ field: "city", kind: "exact" }]);
    expect(firstMatchesOfJson(JSON.stringify({ results: [], hasMore: false, tookMs: 1 }))).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { decideVerification } from "../../src/api/routes/verifications.ts";
import type { SearchResult } from "../../src/search/customer-search.ts";

const person = (
  customerId: string,
  confidence: number,
  over: Partial<SearchResult["customer"]> = {},
): SearchResult => ({
  customerId,
  score: confidence * 10,
  confidence,
  matches: [],
  customer: {
    kind: "P",
    displayName: "J. van der Berg",
    initials: "J.",
    tussenvoegsel: "van der",
    surname: "Berg",
    birthDate: "1975-03-12",
    address: { street: "Kerkstraat", houseNumber: 12, postcode: "1234 AB", city: "Amsterdam", country: "NL" },
    phones: ["+31612345678"],
    ...over,
  },
  policies: [
    {
      policyNumber: "VA-1001",
      partner: "VOLMACHT-A",
      product: "RB-PARTICULIER",
      status: "actief",
      startDate: "2023-01-01",
      endDate: null,
      modules: ["CONS"],
    },
  ],
});

describe("decideVerification: verified only when confident, unambiguous and two attributes agree", () => {
  const input = { policyNumber: "va 1001", birthDate: "12-03-1975" };
  it.each([
    ["a confident single match agreeing on both", [person("a", 0.97)], "a"],
    ["no candidates", [], null],
    ["confidence below 0.9", [person("a", 0.85)], null],
    ["a runner-up nearly as good (twins)", [person("a", 0.95), person("b", 0.9)], null],
    ["a runner-up clearly lower", [person("a", 0.95), person("b", 0.5)], "a"],
    [
      "the birth date differs (only the policy number agrees)",
      [person("a", 0.95, { birthDate: "1976-03-12" })],
      null,
    ],
  ] as const)("%s", (_name, results, expected) => {
    expect(decideVerification(input, [...results])?.customerId ?? null).toBe(expected);
  });

  it("name + postcode + house number agree in any notation", () => {
    const r = decideVerification({ name: "j. van der berg", postcode: "1234ab", houseNumber: "12" }, [
      person("a", 0.93),
    ]);
    expect(r?.customerId).toBe("a");
  });

  it("a different house-number addition does not agree", () => {
    const r = decideVerification({ postcode: "1234 AB", houseNumber: "12-A" }, [person("a", 0.93)]);
    expect(r).toBeNull();
  });

  it("a phone in another notation agrees", () => {
    const r = decideVerification({ phone: "06-12 34 56 78", birthDate: "1975-03-12" }, [person("a", 0.93)]);
    expect(r?.customerId).toBe("a");
  });
});

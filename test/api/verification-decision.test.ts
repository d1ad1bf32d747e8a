import { describe, expect, it } from "vitest";
import {
  decideVerification,
  evidenceOf,
  strongCombination,
  targetedCustomers,
  type VerificationAttributes,
} from "../../src/api/verification-policy.ts";
import type { SearchResult } from "../../src/search/customer-search.ts";

const person = (
  customerId: string,
  confidence: number,
  over: Partial<SearchResult["customer"]> = {},
  policyNumber = "VA-1001",
): SearchResult => ({
  customerId,
  score: confidence * 10,
  confidence,
  matches: [],
  customer: {
    kind: "P",
    displayName: "J. van der Berg",
    initials: "J.",
    firstNames: "Jan",
    tussenvoegsel: "van der",
    surname: "Berg",
    birthDate: "1975-03-12",
    address: { street: "Kerkstraat", houseNumber: 12, postcode: "1234 AB", city: "Amsterdam", country: "NL" },
    phones: ["+31612345678"],
    ...over,
  },
  policies: [
    {
      policyNumber,
      partner: "VOLMACHT-A",
      product: "RB-PARTICULIER",
      status: "actief",
      startDate: "2023-01-01",
      endDate: null,
      modules: ["CONS"],
    },
  ],
});

describe("the verification table: which combinations may verify (decided from the request alone)", () => {
  const P = "VA-1001";
  const B = "12-03-1975";
  const Z = "1234 AB";
  const H = "12";
  const T = "06-12345678";
  const rows: Array<[string, VerificationAttributes, boolean]> = [
    ["policy number + birth date", { policyNumber: P, birthDate: B }, true],
    ["policy number + postcode + house number", { policyNumber: P, postcode: Z, houseNumber: H }, true],
    [
      "full name (initial) + birth date + postcode",
      { name: "J. van der Berg", birthDate: B, postcode: Z },
      true,
    ],
    [
      "full name (first name) + birth date + postcode",
      { name: "Jan van der Berg", birthDate: B, postcode: Z },
      true,
    ],
    ["a strong combination with more besides", { policyNumber: P, birthDate: B, phone: T }, true],
    // The review's weak pairs.
    ["postcode + birth date", { postcode: Z, birthDate: B }, false],
    ["surname + birth date", { name: "Jansen", birthDate: B }, false],
    ["phone + postcode", { phone: T, postcode: Z }, false],
    ["policy number + house number", { policyNumber: P, houseNumber: H }, false],
    // Others that are not enough.
    ["full name + birth date", { name: "J. van der Berg", birthDate: B }, false],
    ["surname + birth date + postcode", { name: "van der Berg", birthDate: B, postcode: Z }, false],
    [
      "surname after a comma + birth date + postcode",
      { name: "Berg, van der", birthDate: B, postcode: Z },
      false,
    ],
    ["full name + postcode + house number", { name: "J. Berg", postcode: Z, houseNumber: H }, false],
    ["full name + birth date + phone", { name: "J. Berg", birthDate: B, phone: T }, false],
    ["policy number + full name", { policyNumber: P, name: "J. Berg" }, false],
    ["policy number + phone", { policyNumber: P, phone: T }, false],
    ["policy number + postcode", { policyNumber: P, postcode: Z }, false],
    [
      "birth date + postcode + house number + phone",
      { birthDate: B, postcode: Z, houseNumber: H, phone: T },
      false,
    ],
  ];
  it.each(rows)("%s: verifies %s", (_name, input, strong) => {
    expect(strongCombination(input) !== null).toBe(strong);
    // A weak combination never verifies, whatever the data holds.
    if (!strong) expect(decideVerification(input, [person("a", 1)])).toBeNull();
  });

  it("a name with a first name or initial is a full name; a surname with tussenvoegsel is not", () => {
    expect(evidenceOf({ name: "J.P. Jansen" })).toEqual(new Set(["fullName"]));
    expect(evidenceOf({ name: "de Vries" })).toEqual(new Set(["surname"]));
  });
});

describe("decideVerification: exactly one candidate holds every attribute given", () => {
  const input = { policyNumber: "va 1001", birthDate: "12-03-1975" };
  it.each([
    ["one candidate agreeing on both", [person("a", 0.97)], "a"],
    ["no candidates", [], null],
    ["twins holding the same policy and birth date", [person("a", 0.95), person("b", 0.9)], null],
    [
      "a runner-up that does not agree",
      [person("a", 0.95), person("b", 0.9, { birthDate: "1976-03-12" })],
      "a",
    ],
    [
      "the birth date differs (only the policy number agrees)",
      [person("a", 0.95, { birthDate: "1976-03-12" })],
      null,
    ],
    ["a low score does not matter when every attribute agrees", [person("a", 0.3)], "a"],
  ] as const)("%s", (_name, results, expected) => {
    expect(decideVerification(input, [...results])?.customerId ?? null).toBe(expected);
  });

  it("full name + birth date + postcode agree in any notation", () => {
    const r = decideVerification({ name: "j. van der berg", birthDate: "1975-03-12", postcode: "1234ab" }, [
      person("a", 0.93),
    ]);
    expect(r?.customerId).toBe("a");
  });

  it("another first initial does not agree", () => {
    const r = decideVerification({ name: "P. van der Berg", birthDate: "1975-03-12", postcode: "1234ab" }, [
      person("a", 0.93),
    ]);
    expect(r).toBeNull();
  });

  it("a different house-number addition does not agree", () => {
    const r = decideVerification({ policyNumber: "VA-1001", postcode: "1234 AB", houseNumber: "12-A" }, [
      person("a", 0.93),
    ]);
    expect(r).toBeNull();
  });

  it("an extra attribute that does not agree fails the verification; in another notation it agrees", () => {
    const base = { policyNumber: "VA-1001", birthDate: "1975-03-12" };
    expect(decideVerification({ ...base, phone: "06-87654321" }, [person("a", 0.93)])).toBeNull();
    expect(decideVerification({ ...base, phone: "06-12 34 56 78" }, [person("a", 0.93)])?.customerId).toBe(
      "a",
    );
  });

  it("a failed attempt is charged to the candidates holding the policy number, or agreeing on two attributes", () => {
    const results = [
      person("owner", 0.9, { birthDate: "1980-01-01" }),
      person("other", 0.5, { surname: "Jansen", birthDate: "1990-01-01" }, "XX-1"),
    ];
    expect(targetedCustomers({ policyNumber: "VA-1001", birthDate: "12-03-1975" }, results)).toEqual([
      "owner",
    ]);
    expect(
      targetedCustomers({ name: "J. van der Berg", birthDate: "11-11-1911", postcode: "1234AB" }, results),
    ).toEqual(["owner"]);
  });
});

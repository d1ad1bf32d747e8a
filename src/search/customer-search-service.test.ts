import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../domain/errors.ts";
import type { Customer, Policy } from "../domain/model.ts";
import { toCustomerDoc } from "../mappings/customer-doc.ts";
import {
  CANDIDATES,
  createCustomerSearch,
  KEYED_CANDIDATES,
  retrievalsFor,
} from "./customer-search-service.ts";
import { EmbeddedSearchEngine } from "./embedded-engine.ts";
import { parseQuery } from "./query-parse.ts";

function customer(
  id: string,
  p: Partial<Customer["party"]>,
  a: Partial<Customer["address"]>,
  phones: string[] = [],
): Customer {
  return {
    customerId: id,
    party: { kind: "P", ...p },
    address: { country: "NL", ...a },
    phones: phones.map((e164) => ({ raw: e164, e164 })),
    partnerRefs: [],
    matchKeys: [],
    deliveryIds: [],
    updatedAt: "2026-01-01T00:00:00Z",
  };
}

function policy(customerId: string, partner: string, policyNumber: string): Policy {
  const terms = {
    product: "RB-PARTICULIER",
    modules: ["CONS", "WON"],
    startDate: "2024-01-01",
    status: "actief" as const,
    clauseCodes: [],
    household: false,
  };
  return {
    partner,
    policyNumber,
    customerId,
    versions: [{ ...terms, validFrom: "2024-01-01", deliveryIds: [] }],
    deliveryIds: [],
  };
}

const home = {
  street: "Dorpsstraat",
  houseNumber: 12,
  houseNumberAddition: "A",
  postcode: "1234 AB",
  city: "Utrecht",
};
const people: Array<[Customer, Policy[]]> = [
  [
    customer("c-jan", { firstNames: "Jan", surname: "Jansen", birthDate: "1980-03-12" }, home, [
      "+31301234567",
      "+31612345678",
    ]),
    [policy("c-jan", "VOLMACHT-A", "VA-1001"), policy("c-jan", "TUSSEN-B", "TB-2002")],
  ],
  [
    customer("c-els", { firstNames: "Els", surname: "Jansen", birthDate: "1982-07-01" }, home, [
      "+31301234567",
    ]),
    [policy("c-els", "VOLMACHT-A", "VA-1002")],
  ],
  [
    customer(
      "c-berg",
      { firstNames: "Pieter", tussenvoegsel: "van der", surname: "Berg", birthDate: "1975-01-31" },
      { postcode: "3512 JK", houseNumber: 4, city: "Utrecht" },
    ),
    [policy("c-berg", "MULTI-C", "MC-77")],
  ],
  [
    customer(
      "c-meijer",
      { firstNames: "Anna", surname: "Meijer", birthDate: "1990-12-05" },
      { postcode: "9711 AA", houseNumber: 1, city: "Groningen" },
    ),
    [],
  ],
];
for (let i = 0; i < 300; i++)
  people.push([
    customer(
      `c-filler-${String(i).padStart(3, "0")}`,
      { firstNames: "Kees", surname: "Jansen", birthDate: `19${50 + (i % 40)}-01-15` },
      { postcode: "5611 AB", houseNumber: i + 1, city: "Eindhoven" },
    ),
    [],
  ]);

describe("CustomerSearch on the embedded engine", () => {
  const engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
  const search = createCustomerSearch({ engine });
  const top = async (q: string) => (await search.search({ q, limit: 10 })).results[0]?.customerId;

  beforeAll(async () => {
    await engine.init();
    await engine.upsert(people.map(([c, ps]) => toCustomerDoc(c, ps, "2026-11-25")));
    await engine.refresh();
  });
  afterAll(() => engine.close());

  it.each([
    ["jansen 12-03-1980", "c-jan"],
    ["jansne 1234ab 12a jan", "c-jan"],
    ["v.d. Berg 31-01-1975", "c-berg"],
    ["Berg, van der", "c-berg"],
    ["meyer groningen", "c-meijer"],
    ["VA-1001", "c-jan"],
    ["TB-2002", "c-jan"],
  ])("%s → %s", async (q, expected) => expect(await top(q)).toBe(expected));

  it("returns one result per customer with all policies of all partners, explained", async () => {
    const res = await search.search({ q: "jan jansen 1234ab 12a", limit: 10 });
    const first = res.results[0]!;
    expect(first.customerId).toBe("c-jan");
    expect(first.policies.map((p) => p.partner).sort()).toEqual(["TUSSEN-B", "VOLMACHT-A"]);
    expect(first.matches).toContainEqual({ field: "surname", kind: "exact" });
    expect(first.matches).toContainEqual({ field: "postcode", kind: "exact" });
    expect(first.confidence).toBeGreaterThan(0.9);
    expect(new Set(res.results.map((r) => r.customerId)).size).toBe(res.results.length);
    expect(res.tookMs).toBeGreaterThanOrEqual(0);
  });

  it("finds the right Jansen among 300 others by birth date (a common surname never crowds them out)", async () => {
    expect(await top("jansen 01-07-1982")).toBe("c-els");
  });

  it("answers a query that identifies no one with a bounded list, best first", async () => {
    for (const q of ["j", "jansen"]) {
      const res = await search.search({ q, limit: 50 });
      expect(res.results.length).toBeGreaterThan(0);
      expect(res.results.length).toBeLessThanOrEqual(50);
      const scores = res.results.map((r) => r.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(res.results.every((r) => r.confidence < 0.9)).toBe(true);
    }
  });

  it("gives the same order for the same query every time (ties by customerId)", async () => {
    const a = await search.search({ q: "jansen", limit: 20 });
    const b = await search.search({ q: "jansen", limit: 20 });
    expect(a.results.map((r) => r.customerId)).toEqual(b.results.map((r) => r.customerId));
  });

  it("rejects input it cannot search with VALIDATION_FAILED", async () => {
    for (const input of [
      { q: "  ", limit: 10 },
      { q: "?!", limit: 10 },
      { q: "x".repeat(10_000), limit: 10 },
      { q: "a", limit: 51 },
      { q: "a", limit: 10, nope: 1 },
    ])
      await expect(search.search(input as never)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("looks up callers by phone in any notation: a household line lists everyone on it", async () => {
    const res = await search.callers("030 - 123 45 67");
    expect(res.results.map((r) => r.customerId)).toEqual(["c-els", "c-jan"]);
    expect(res.results.every((r) => r.confidence <= 0.5)).toBe(true);
    const mobile = await search.callers("+31 (0)6 1234 5678");
    expect(mobile.results.map((r) => r.customerId)).toEqual(["c-jan"]);
    expect((await search.callers("0687654321")).results).toEqual([]);
  });

  it("says whether more customers matched than it shows", async () => {
    const jansen = await search.search({ q: "jansen", limit: 10 });
    expect(jansen.results).toHaveLength(10);
    expect(jansen.hasMore).toBe(true);
    // For every limit, hasMore says exactly whether a search for all of them shows more.
    for (const q of ["v.d. Berg 31-01-1975", "Els 1234 AB", "utrecht", "dorpsstraat"]) {
      const all = (await search.search({ q, limit: 50 })).results.length;
      expect(all).toBeLessThan(50);
      for (const limit of [1, 2, 3, all, all + 1]) {
        const res = await search.search({ q, limit });
        expect([q, limit, res.hasMore]).toEqual([q, limit, all > limit]);
        expect(res.results).toHaveLength(Math.min(all, limit));
      }
    }
  });

  it("says whether more callers hold the number than it lists", async () => {
    expect((await search.callers("030 - 123 45 67", 1)).hasMore).toBe(true);
    expect((await search.callers("030 - 123 45 67", 2)).hasMore).toBe(false);
    expect((await search.callers("0687654321")).hasMore).toBe(false);
  });

  it("tells 50 callers on one number from more than 50", async () => {
    const shared = new EmbeddedSearchEngine({ dataDir: ":memory:" });
    await shared.init();
    try {
      const holders = (n: number, from = 0) =>
        Array.from({ length: n }, (_, i) =>
          toCustomerDoc(
            customer(`c-line-${from + i}`, { surname: "Lijn" }, {}, ["+31201234567"]),
            [],
            "2026-11-25",
          ),
        );
      await shared.upsert(holders(50));
      await shared.refresh();
      const lines = createCustomerSearch({ engine: shared });
      const fifty = await lines.callers("020-1234567", 50);
      expect([fifty.results.length, fifty.hasMore]).toEqual([50, false]);
      await shared.upsert(holders(1, 50));
      await shared.refresh();
      const more = await lines.callers("020-1234567", 50);
      expect([more.results.length, more.hasMore]).toEqual([50, true]);
    } finally {
      await shared.close();
    }
  });

  it("refuses a caller lookup that is no phone number", async () => {
    await expect(search.callers("jansen")).rejects.toBeInstanceOf(AppError);
    await expect(search.callers("jansen")).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
  });
});

describe("how wide the nets are", () => {
  const sizes = (input: Record<string, unknown>) =>
    retrievalsFor(parseQuery(input as never)).map((r) => [r.must?.[0]?.field ?? "wide", r.size]);

  it("a name alone (or with a city) gets the widest net", () => {
    expect(sizes({ name: "de Vries" })).toEqual([["wide", CANDIDATES]]);
    expect(sizes({ q: "jan de vries amsterdam" })).toEqual([["wide", CANDIDATES]]);
  });

  it("a name with a postcode, its area or a birth date: a narrower net beside each key's holders", () => {
    expect(sizes({ name: "de Vries", postcode: "1234 AB", houseNumber: "12" })).toEqual([
      ["wide", KEYED_CANDIDATES],
      ["postcode", KEYED_CANDIDATES / 2],
    ]);
    expect(sizes({ q: "de vries 1234" })).toEqual([
      ["wide", KEYED_CANDIDATES],
      ["postcodeArea", KEYED_CANDIDATES / 2],
    ]);
    expect(sizes({ q: "J. de Vries 12-03-1980 1234ab" })).toEqual([
      ["wide", KEYED_CANDIDATES],
      ["postcode", KEYED_CANDIDATES / 2],
      ["birthDate", KEYED_CANDIDATES / 2],
    ]);
  });

  it("the wide net is always wider than the limit asked for (to tell whether more matched)", () => {
    const keyed = parseQuery({ name: "de Vries", postcode: "1234 AB", limit: 50 } as never);
    expect(retrievalsFor(keyed, 50)[0]!.size).toBe(51);
    expect(retrievalsFor(parseQuery({ name: "de Vries" } as never), 50)[0]!.size).toBe(CANDIDATES);
  });

  it("a key without a name keeps the widest net (no holders to look through by name)", () => {
    expect(sizes({ postcode: "1234 AB" })).toEqual([["wide", CANDIDATES]]);
    expect(sizes({ birthDate: "1980-03-12" })).toEqual([["wide", CANDIDATES]]);
  });
});

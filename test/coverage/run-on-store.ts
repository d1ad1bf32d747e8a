import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCoverageService } from "../../src/coverage/coverage-service.ts";
import { createProductCatalogue } from "../../src/coverage/product-catalogue.ts";
import { DEMO_CATALOGUE, RB_PARTICULIER } from "../../src/demo/catalogue.ts";
import { AppError } from "../../src/domain/errors.ts";
import type { Customer, Policy } from "../../src/domain/model.ts";
import { applyRow, endPolicy } from "../../src/domain/policy-history.ts";
import type { Store } from "../../src/store/store.ts";
import { expectAnswer } from "./expect-answer.ts";
import { SCENARIOS, TODAY } from "./scenarios.ts";

/** A policyholder with every kind of personal data, so tests can see none of it leaks. */
export function customer(customerId: string): Customer {
  return {
    customerId,
    party: { kind: "P", initials: "J.", firstNames: "Johanna", surname: "Verbeek", birthDate: "1979-04-12" },
    address: { street: "Lindelaan", houseNumber: 17, postcode: "3581 KL", city: "Utrecht", country: "NL" },
    phones: [{ raw: "06-41234567", e164: "+31641234567" }],
    email: "j.verbeek@example.nl",
    partnerRefs: [{ partner: "VOLMACHT-A", partnerCustomerNumber: "R-1" }],
    matchKeys: [`key:${customerId}`],
    deliveryIds: ["d-1"],
    updatedAt: "2026-01-05T09:00:00.000Z",
  };
}

const rename = (p: Policy, i: number): Policy => ({
  ...p,
  policyNumber: `S${i}-${p.policyNumber}`,
  customerId: `klant-${i}`,
});

/** Runs every coverage scenario through the store, the catalogue and the coverage service. */
export function runCoverageOnStore(newStore: () => Promise<Store>): void {
  let store: Store;
  let service: ReturnType<typeof createCoverageService>;

  beforeAll(async () => {
    store = await newStore();
    await store.init();
    const catalogue = createProductCatalogue(store);
    for (const p of DEMO_CATALOGUE) await catalogue.put(p);
    await store.putCustomers(SCENARIOS.map((_, i) => customer(`klant-${i}`)));
    await store.putPolicies(SCENARIOS.flatMap((sc, i) => sc.policies.map((p) => rename(p, i))));
    service = createCoverageService({ store, catalogue, today: TODAY });
  });
  afterAll(async () => {
    await store?.close();
  });

  describe("scenarios by customerId", () => {
    it.each(SCENARIOS.map((sc, i) => [sc.says, sc, i] as const))("%s", async (_says, sc, i) => {
      const result = await service.assess({ ...sc.claim, customerId: `klant-${i}` });
      const policy = sc.expect.policy ? `S${i}-${sc.expect.policy}` : sc.expect.policy;
      expectAnswer(result, { ...sc.expect, ...(policy !== undefined ? { policy } : {}) });
    });
  });

  it("assesses by polisnummer alone, on that policy only", async () => {
    const i = SCENARIOS.findIndex((x) => x.says.startsWith("Insured through two partners"));
    const sc = SCENARIOS[i]!;
    const viaA = await service.assess({ ...sc.claim, policyNumber: `S${i}-A-700` });
    expect(viaA.verdict).toBe("not_covered");
    expect(viaA.policy?.partner).toBe("VOLMACHT-A");
    const viaB = await service.assess({ ...sc.claim, policyNumber: `S${i}-B-700` });
    expect(viaB.verdict).toBe("covered");
  });

  it.each([
    ["an unknown polisnummer", { policyNumber: "NOPE-1" }, "NOT_FOUND"],
    ["an unknown customer", { customerId: "klant-nope" }, "NOT_FOUND"],
    ["an unknown legal area", { customerId: "klant-0", legalArea: "strafrecht" }, "UNKNOWN_LEGAL_AREA"],
    ["neither polisnummer nor customer", {}, "VALIDATION_FAILED"],
    ["an incident in the future", { customerId: "klant-0", incidentDate: "2027-01-01" }, "VALIDATION_FAILED"],
  ])("refuses %s with %s", async (_what, patch, code) => {
    const input = { incidentDate: "2025-03-01", legalArea: "consument", ...patch };
    const err = await service.assess(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
  });

  it("a policy ended by a full delivery (through the policy-history writer) covers up to the day before", async () => {
    const terms = {
      product: "RB-PARTICULIER",
      modules: ["CONS", "WON"],
      startDate: "2021-04-01",
      status: "actief" as const,
      clauseCodes: [],
      household: false,
    };
    const facts = { partner: "MULTI-C", policyNumber: "FULL-1", customerId: "klant-full", terms };
    let policy = applyRow(null, { ...facts, deliveryId: "d-first", deliveryDate: "2021-04-03" });
    policy = applyRow(policy, { ...facts, deliveryId: "d-full-1", deliveryDate: "2025-01-01" });
    policy = endPolicy(policy, "2025-06-01", "d-full-2");
    await store.putCustomers([customer("klant-full")]);
    await store.putPolicies([policy]);
    const before = await service.assess({
      customerId: "klant-full",
      incidentDate: "2025-05-31",
      legalArea: "buren",
      reportedDate: "2025-06-02",
    });
    expect(before.verdict).toBe("covered");
    const on = await service.assess({
      customerId: "klant-full",
      incidentDate: "2025-06-01",
      legalArea: "buren",
      reportedDate: "2025-06-02",
    });
    expect(on.reasons.map((r) => r.code)).toEqual(["POLICY_NOT_ACTIVE"]);
    const detail = await service.customerDetail("klant-full");
    expect(detail?.policies[0]).toMatchObject({
      status: "geroyeerd",
      activeToday: false,
      endDate: "2025-06-01",
    });
    expect(detail?.policies[0]?.timeline.map((t) => [t.validFrom, t.status])).toEqual([
      ["2021-04-01", "actief"],
      ["2025-06-01", "geroyeerd"],
    ]);
  });

  it("the customer detail shows modules since their own start, clause texts and the version timeline", async () => {
    const i = SCENARIOS.findIndex((x) => x.says.startsWith("ARB dropped on 1 January 2025"));
    const detail = await service.customerDetail(`klant-${i}`);
    expect(detail?.party.surname).toBe("Verbeek");
    expect(detail?.customerId).toBe(`klant-${i}`);
    expect(detail).not.toHaveProperty("matchKeys");
    const p = detail!.policies[0]!;
    expect(p.activeToday).toBe(true);
    expect(p.conditions?.code).toBe("RBP-2025");
    expect(p.modules.map((m) => [m.code, m.since, m.legalAreas])).toEqual([
      ["CONS", "2018-01-01", ["consument", "reizen"]],
      ["ARB", "2025-09-01", ["arbeid", "inkomen"]],
    ]);
    expect(p.modules[1]?.waitingPeriodEndsOn).toBe("2025-12-01");
    expect(p.timeline.map((t) => [t.validFrom, t.validTo ?? null, t.modulesAdded, t.modulesRemoved])).toEqual(
      [
        ["2018-01-01", "2025-01-01", ["CONS", "ARB"], []],
        ["2025-01-01", "2025-09-01", [], ["ARB"]],
        ["2025-09-01", null, ["ARB"], []],
      ],
    );
    const c = SCENARIOS.findIndex((x) => x.says.startsWith("A dispute with the builder"));
    const withClauses = await service.customerDetail(`klant-${c}`);
    expect(withClauses?.policies[0]?.clauses.map((x) => [x.code, x.excludesLegalAreas])).toEqual([
      ["CL-BOUW", ["wonen"]],
      ["CL-ECHT", ["familie"]],
    ]);
    expect(withClauses?.policies[0]?.clauses[0]?.text).toMatch(/verbouwen/);
    expect(await service.customerDetail("klant-nope")).toBeNull();
  });

  it("the intake summary names partners, products and modules, and nothing personal", async () => {
    const i = SCENARIOS.findIndex((x) => x.says.startsWith("None of three policies"));
    const summary = await service.coverageSummary(`klant-${i}`);
    expect(summary.policies.map((p) => [p.partner, p.activeToday, p.modules.map((m) => m.code)])).toEqual([
      ["MULTI-C", true, ["CONS"]],
      ["TUSSEN-B", true, ["CONS", "ARB"]],
      ["VOLMACHT-A", true, ["CONS", "WON"]],
    ]);
    const text = JSON.stringify(summary);
    for (const personal of [
      "Verbeek",
      "Johanna",
      "1979",
      "3581",
      "Lindelaan",
      "Utrecht",
      "0641",
      "+31",
      "example.nl",
      "klant-",
    ])
      expect(text).not.toContain(personal);
    await expect(service.coverageSummary("klant-nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  describe("product catalogue", () => {
    let tick = Date.parse("2026-11-01T10:00:00Z");
    const clock = () => {
      tick += 60_000;
      return new Date(tick);
    };
    const base = { ...RB_PARTICULIER, code: "RB-TEST" };

    it("keeps every version, and the same content twice is no new version", async () => {
      const catalogue = createProductCatalogue(store, clock);
      const v1 = await catalogue.put(base);
      expect(v1.version).toBe(1);
      expect((await catalogue.put(structuredClone(base))).updatedAt).toBe(v1.updatedAt);
      const extra = {
        code: "CL-HUUR",
        text: "Geen rechtsbijstand bij huurgeschillen.",
        excludesLegalAreas: ["wonen" as const],
      };
      const v2 = await catalogue.put({ ...base, clauses: [...base.clauses, extra] }, { code: "RB-TEST" });
      expect(v2.version).toBe(2);
      expect(v2.updatedAt > v1.updatedAt).toBe(true);
      expect((await catalogue.get("RB-TEST"))?.clauses.map((c) => c.code)).toEqual([
        "CL-BOUW",
        "CL-ECHT",
        "CL-HUUR",
      ]);
      const history = await catalogue.history("RB-TEST");
      expect(history.map((h) => [h.code, h.version, h.clauses.length])).toEqual([
        ["RB-TEST", 1, 2],
        ["RB-TEST", 2, 3],
      ]);
      expect((await catalogue.list()).map((p) => p.code)).toEqual([
        "RB-PARTICULIER",
        "RB-TEST",
        "RB-ZAKELIJK",
      ]);
      expect(await catalogue.get("RB-TEST@v1")).toBeNull();
    });

    it.each([
      [
        "a module code twice",
        { modules: [...base.modules, base.modules[0]!] },
        "module code CONS occurs more than once",
      ],
      [
        "two conditions on one date",
        {
          conditions: [
            { code: "A", validFrom: "2022-01-01" },
            { code: "B", validFrom: "2022-01-01" },
          ],
        },
        "two conditions versions start on 2022-01-01",
      ],
      [
        "a validFrom that is no date",
        { conditions: [{ code: "A", validFrom: "2022-02-30" }] },
        "2022-02-30 is not a calendar date",
      ],
      [
        "an unknown legal area",
        { modules: [{ ...base.modules[0]!, legalAreas: ["strafrecht"] }] },
        "legalAreas",
      ],
      ["an @ in the code", { code: "RB@X" }, "letters, digits"],
    ])("refuses %s", async (_what, patch, message) => {
      const err = await createProductCatalogue(store)
        .put({ ...base, ...patch })
        .catch((e: unknown) => e);
      expect((err as AppError).code).toBe("VALIDATION_FAILED");
      expect(JSON.stringify((err as AppError).details)).toContain(message);
    });
  });
}

import { describe, expect, it } from "vitest";
import { DEMO_CATALOGUE } from "../../src/demo/catalogue.ts";
import { type GeneratedPerson, generatePortfolio } from "../../src/demo/generator.ts";
import { assess } from "../../src/domain/coverage/assess.ts";
import { CoverageSummary, coverageSummary } from "../../src/domain/coverage/customer-detail.ts";
import { LEGAL_AREAS, type Policy } from "../../src/domain/model.ts";

const TODAY = "2026-11-25";
const INCIDENT = "2026-10-01";

/** The demo generator's people, each with their policies as a first delivery would record them. */
function demoPeople(customers: number): Array<{ person: GeneratedPerson; policies: Policy[] }> {
  const seen = new Map<string, GeneratedPerson>();
  for (const row of generatePortfolio({ customers, seed: 20261125 })) seen.set(row.personId, row.person);
  return [...seen.values()].map((person) => ({
    person,
    policies: person.policies.map((g) => ({
      partner: g.partner,
      policyNumber: g.policyNumber,
      customerId: person.personId,
      versions: [
        {
          product: g.product,
          modules: g.modules,
          startDate: g.startDate,
          ...(g.endDate ? { endDate: g.endDate } : {}),
          status: g.status,
          conditionsCode: g.conditionsCode,
          clauseCodes: g.clauseCodes,
          household: g.household,
          validFrom: g.startDate,
          deliveryIds: ["demo"],
        },
      ],
      deliveryIds: ["demo"],
    })),
  }));
}

describe("the demo portfolio against the demo catalogue", () => {
  const people = demoPeople(400);
  const ask = (policies: Policy[], legalArea: string) =>
    assess({
      policies,
      products: DEMO_CATALOGUE,
      incidentDate: INCIDENT,
      reportedDate: "2026-10-05",
      legalArea,
      claimAmount: 2500,
      today: TODAY,
    });

  it("uses only products, modules, clauses and conditions the catalogue knows", () => {
    const products = new Map(DEMO_CATALOGUE.map((p) => [p.code, p]));
    for (const { policies } of people)
      for (const v of policies.flatMap((p) => p.versions)) {
        const product = products.get(v.product);
        expect(product, v.product).toBeDefined();
        for (const m of v.modules) expect(product?.modules.map((x) => x.code)).toContain(m);
        for (const c of v.clauseCodes) expect(product?.clauses.map((x) => x.code)).toContain(c);
        expect(product?.conditions.map((x) => x.code)).toContain(v.conditionsCode);
      }
  });

  it("every demo customer gets a decided answer in every legal area — never 'cannot tell'", () => {
    for (const { policies } of people)
      for (const area of LEGAL_AREAS) {
        const codes = ask(policies, area).reasons.map((r) => r.code);
        expect(codes).not.toContain("UNKNOWN_PRODUCT");
        expect(codes).not.toContain("INSUFFICIENT_DATA");
      }
  });

  it("a customer with a policy running since before 2026 is covered for a consumer dispute", () => {
    const running = people.filter(({ policies }) =>
      policies.some(
        (p) =>
          p.versions[0]!.status === "actief" &&
          !p.versions[0]!.endDate &&
          p.versions[0]!.startDate < "2026-01-01",
      ),
    );
    expect(running.length).toBeGreaterThan(200);
    for (const { policies } of running) expect(ask(policies, "consument").verdict).toBe("covered");
  });

  it("a customer whose every policy is suspended or ended before the incident is covered for nothing", () => {
    const stopped = people.filter(({ policies }) =>
      policies.every((p) => {
        const v = p.versions[0]!;
        return v.status === "geschorst" || (v.endDate !== undefined && v.endDate <= INCIDENT);
      }),
    );
    expect(stopped.length).toBeGreaterThan(5);
    for (const { policies } of stopped)
      for (const area of LEGAL_AREAS) {
        const r = ask(policies, area);
        expect(r.verdict).toBe("not_covered");
        expect(r.reasons.map((x) => x.code)).toContain("POLICY_NOT_ACTIVE");
      }
  });

  it("the intake summary of every demo customer is well-formed and tells running from stopped", () => {
    for (const { policies } of people) {
      const summary = CoverageSummary.parse(
        coverageSummary(policies, new Map(DEMO_CATALOGUE.map((p) => [p.code, p])), TODAY),
      );
      expect(summary.policies).toHaveLength(policies.length);
      for (const p of summary.policies)
        for (const m of p.modules) expect(m.legalAreas.length).toBeGreaterThan(0);
    }
  });
});

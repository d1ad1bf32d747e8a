import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoverageService } from "../../src/coverage/coverage-service.ts";
import { LEGAL_AREAS } from "../../src/domain/model.ts";
import { type Harness, startHarness } from "../api/support/harness.ts";

// The demo as `npm start` loads it (catalogue, generated customers and showcase, through the real
// intake), asked the questions an intake employee would ask about each showcase customer.
let h: Harness;
let coverage: CoverageService;
const customerOf = async (policyNumber: string) => {
  const [policy] = await h.system.services.store.findPoliciesByNumber(policyNumber);
  if (!policy) throw new Error(`demo policy ${policyNumber} missing`);
  return policy.customerId;
};

beforeAll(async () => {
  h = await startHarness({ DEMO_DATA: "on" });
  const deliveries = await h.system.services.store.listDeliveries({});
  for (const d of deliveries) await h.system.services.intake.whenSettled(d.id);
  coverage = h.system.services.coverage;
}, 180_000);
afterAll(() => h?.close());

describe("the demo showcase customers get the answers the demo promises", () => {
  it.each([
    [
      "A. M. de Vries: housing dispute",
      "DEMO-VA-0001",
      "wonen",
      "2025-06-01",
      undefined,
      "covered",
      ["COVERED"],
    ],
    [
      "A. M. de Vries: inheritance, FAM since 2021",
      "DEMO-VA-0001",
      "erfrecht",
      "2025-06-01",
      undefined,
      "covered",
      ["COVERED"],
    ],
    [
      "A. M. de Vries: medical, no MED",
      "DEMO-VA-0001",
      "medisch",
      "2025-06-01",
      undefined,
      "not_covered",
      ["MODULE_NOT_INSURED"],
    ],
    [
      "P. Bakker: traffic the day before the end",
      "DEMO-TB-0002",
      "verkeer",
      "2025-06-29",
      undefined,
      "covered",
      ["COVERED"],
    ],
    [
      "P. Bakker: traffic on the einddatum",
      "DEMO-TB-0002",
      "verkeer",
      "2025-06-30",
      undefined,
      "not_covered",
      ["POLICY_NOT_ACTIVE"],
    ],
    [
      "F. El Amrani: dismissal in the waiting period",
      "DEMO-MC-0003",
      "arbeid",
      "2026-11-20",
      undefined,
      "not_covered",
      ["WAITING_PERIOD"],
    ],
    [
      "F. El Amrani: consumer dispute, no waiting",
      "DEMO-MC-0003",
      "consument",
      "2026-11-20",
      undefined,
      "covered",
      ["COVERED"],
    ],
    [
      "C. van den Berg: building works",
      "DEMO-VA-0004",
      "wonen",
      "2025-06-01",
      undefined,
      "not_covered",
      ["EXCLUDED_BY_CLAUSE"],
    ],
    ["C. van den Berg: neighbours", "DEMO-VA-0004", "buren", "2025-06-01", undefined, "covered", ["COVERED"]],
    [
      "Bakkerij Öztürk: debt collection",
      "DEMO-MC-0007",
      "ondernemen",
      "2025-06-01",
      5000,
      "not_covered",
      ["EXCLUDED_BY_CLAUSE"],
    ],
    [
      "Bakkerij Öztürk: staff dispute",
      "DEMO-MC-0007",
      "arbeid",
      "2025-06-01",
      undefined,
      "covered",
      ["COVERED"],
    ],
  ] as const)("%s", async (_who, policyNumber, legalArea, incidentDate, claimAmount, verdict, reasons) => {
    const r = await coverage.assess({
      policyNumber,
      legalArea,
      incidentDate,
      reportedDate: incidentDate,
      ...(claimAmount ? { claimAmount } : {}),
    });
    expect({ verdict: r.verdict, reasons: r.reasons.map((x) => x.code) }).toEqual({ verdict, reasons });
  });

  it("Z. J. van der Meer, insured through two partners, is covered for a dismissal by TUSSEN-B's policy", async () => {
    const customerId = await customerOf("DEMO-VA-0005");
    expect(await customerOf("DEMO-TB-0006")).toBe(customerId);
    const r = await coverage.assess({
      customerId,
      legalArea: "arbeid",
      incidentDate: "2025-03-01",
      reportedDate: "2025-03-02",
    });
    expect(r.verdict).toBe("covered");
    expect(r.policy).toMatchObject({ partner: "TUSSEN-B", policyNumber: "DEMO-TB-0006" });
    expect(r.otherPolicies.map((p) => [p.policyNumber, p.verdict])).toEqual([
      ["DEMO-VA-0005", "not_covered"],
    ]);
  });

  it("every demo customer gets a decided answer in every legal area", async () => {
    let customers = 0;
    for await (const batch of h.system.services.store.iterateCustomers(200))
      for (const c of batch) {
        customers++;
        for (const legalArea of LEGAL_AREAS) {
          const r = await coverage.assess({
            customerId: c.customerId,
            legalArea,
            incidentDate: "2026-10-01",
            reportedDate: "2026-10-02",
            claimAmount: 2500,
          });
          const codes = r.reasons.map((x) => x.code);
          expect(codes, `${c.customerId} ${legalArea}`).not.toContain("UNKNOWN_PRODUCT");
          expect(codes, `${c.customerId} ${legalArea}`).not.toContain("INSUFFICIENT_DATA");
        }
        const detail = await coverage.customerDetail(c.customerId);
        expect(detail?.policies.length).toBeGreaterThan(0);
      }
    expect(customers).toBeGreaterThan(250);
  });
});

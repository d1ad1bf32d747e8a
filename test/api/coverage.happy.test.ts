import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPortfolio } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await loadPortfolio(h);
});
afterAll(() => h?.close());

type Assessment = { verdict: string; reasons: Array<{ code: string }> };

describe("POST /v1/coverage/assessments (agent)", () => {
  it("a housing dispute on a policy with WON is covered", async () => {
    const token = await h.token("agent", { sub: "agent-cov" });
    const res = await h.call("POST", "/v1/coverage/assessments", {
      token,
      json: {
        policyNumber: "VA-1001",
        incidentDate: "2026-06-01",
        reportedDate: "2026-06-15",
        legalArea: "wonen",
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Assessment;
    expect(body.verdict).toBe("covered");
    expect(body.reasons.map((r) => r.code)).toContain("COVERED");
    const [record] = await h.audit();
    expect(record).toMatchObject({
      subject: "agent-cov",
      endpoint: "POST /v1/coverage/assessments",
      fields: ["incidentDate", "legalArea", "policyNumber", "reportedDate"],
      outcome: "ok",
    });
    expect(record!.customerIds.length).toBe(1);
  });

  it("a traffic dispute on a policy without VERK is not covered (MODULE_NOT_INSURED)", async () => {
    const token = await h.token("agent");
    const res = await h.call("POST", "/v1/coverage/assessments", {
      token,
      json: { policyNumber: "VA-1001", incidentDate: "2025-06-01", legalArea: "verkeer" },
    });
    const body = (await res.json()) as Assessment;
    expect(body.verdict).toBe("not_covered");
    expect(body.reasons.map((r) => r.code)).toContain("MODULE_NOT_INSURED");
  });
});

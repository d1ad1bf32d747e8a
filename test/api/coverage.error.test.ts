import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPortfolio } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  await loadPortfolio(h);
  token = await h.token("agent");
});
afterAll(() => h?.close());

const post = (json: unknown) => h.call("POST", "/v1/coverage/assessments", { token, json });

describe("POST /v1/coverage/assessments: errors", () => {
  it("an unknown legal area is a 400 UNKNOWN_LEGAL_AREA", async () => {
    const res = await post({ policyNumber: "VA-1001", incidentDate: "2025-06-01", legalArea: "ruimtevaart" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("UNKNOWN_LEGAL_AREA");
  });

  it("neither policyNumber nor customerId is a 400", async () => {
    const res = await post({ incidentDate: "2025-06-01", legalArea: "wonen" });
    expect(res.status).toBe(400);
  });

  it("a date that is not yyyy-mm-dd is a 400 naming body.incidentDate", async () => {
    const res = await post({ policyNumber: "VA-1001", incidentDate: "01-06-2025", legalArea: "wonen" });
    expect(res.status).toBe(400);
    const p = (await res.json()) as { errors: Array<{ path: string }> };
    expect(p.errors.map((e) => e.path)).toContain("body.incidentDate");
  });

  it("an unknown policy is a 404", async () => {
    const res = await post({ policyNumber: "NOPE-1", incidentDate: "2025-06-01", legalArea: "wonen" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe("NOT_FOUND");
  });
});

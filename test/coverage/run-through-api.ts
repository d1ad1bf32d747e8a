import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOGUE } from "../../src/demo/catalogue.ts";
import type { AssessmentResult } from "../../src/domain/coverage/result.ts";
import type { Policy } from "../../src/domain/model.ts";
import type { Store } from "../../src/store/store.ts";
import { type Harness, startHarness } from "../api/support/harness.ts";
import { expectAnswer } from "./expect-answer.ts";
import { customer } from "./run-on-store.ts";
import { SCENARIOS } from "./scenarios.ts";

const rename = (p: Policy, i: number): Policy => ({
  ...p,
  policyNumber: `A${i}-${p.policyNumber}`,
  customerId: `api-${i}`,
});

/**
 * Runs every scenario through the HTTP API of the composed service: the catalogue goes in with
 * `PUT /v1/products`, the policies straight into the store (their histories are the point, not the
 * intake), and each claim is a `POST /v1/coverage/assessments` by an agent.
 */
export function runScenariosThroughApi(newStore?: () => Store): void {
  let h: Harness;
  let agent: string;
  beforeAll(async () => {
    h = await startHarness({}, newStore ? { store: newStore() } : {});
    const admin = await h.token("admin");
    for (const p of DEMO_CATALOGUE) {
      const res = await h.call("PUT", `/v1/products/${p.code}`, { token: admin, json: p });
      expect(res.status).toBe(200);
    }
    const store = h.system.services.store;
    await store.putCustomers(SCENARIOS.map((_, i) => customer(`api-${i}`)));
    await store.putPolicies(SCENARIOS.flatMap((sc, i) => sc.policies.map((p) => rename(p, i))));
    agent = await h.token("agent");
  });
  afterAll(async () => {
    await h?.close();
  });

  describe("POST /v1/coverage/assessments", () => {
    it.each(SCENARIOS.map((sc, i) => [sc.says, sc, i] as const))("%s", async (_says, sc, i) => {
      const res = await h.call("POST", "/v1/coverage/assessments", {
        token: agent,
        json: { ...sc.claim, customerId: `api-${i}` },
      });
      expect(res.status).toBe(200);
      const policy = sc.expect.policy ? `A${i}-${sc.expect.policy}` : sc.expect.policy;
      expectAnswer((await res.json()) as AssessmentResult, {
        ...sc.expect,
        ...(policy !== undefined ? { policy } : {}),
      });
    });

    it.each([
      ["an unknown legal area", { customerId: "api-0", legalArea: "strafrecht" }, 400, "UNKNOWN_LEGAL_AREA"],
      [
        "an incident in the future",
        { customerId: "api-0", incidentDate: "2099-01-01" },
        400,
        "VALIDATION_FAILED",
      ],
      [
        "a report before the incident",
        { customerId: "api-0", reportedDate: "2025-02-01" },
        400,
        "VALIDATION_FAILED",
      ],
      ["an unknown polisnummer", { policyNumber: "GEEN-1" }, 404, "NOT_FOUND"],
      ["an unknown customer", { customerId: "api-nope" }, 404, "NOT_FOUND"],
    ])("answers %s with %i %s", async (_what, patch, status, code) => {
      const res = await h.call("POST", "/v1/coverage/assessments", {
        token: agent,
        json: { incidentDate: "2025-03-01", legalArea: "consument", ...patch },
      });
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(((await res.json()) as { code: string }).code).toBe(code);
    });
  });

  it("GET /v1/customers/{id} shows the policies with modules since, clauses and timeline", async () => {
    const i = SCENARIOS.findIndex((x) => x.says.startsWith("ARB dropped on 1 January 2025"));
    const res = await h.call("GET", `/v1/customers/api-${i}`, { token: agent });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      customerId: string;
      policies: Array<{ modules: Array<{ code: string; since: string }>; timeline: unknown[] }>;
    };
    expect(body.customerId).toBe(`api-${i}`);
    expect(body.policies[0]?.modules.find((m) => m.code === "ARB")?.since).toBe("2025-09-01");
    expect(body.policies[0]?.timeline).toHaveLength(3);
  });
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AssessmentAnswer } from "../../src/coverage/coverage-service.ts";
import { DEMO_CATALOGUE } from "../../src/demo/catalogue.ts";
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
      expectAnswer((await res.json()) as AssessmentAnswer, {
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

  describe("the service advice beside the verdict", () => {
    const scenario = (start: string) => {
      const i = SCENARIOS.findIndex((x) => x.says.startsWith(start));
      if (i < 0) throw new Error(`no scenario "${start}"`);
      return i;
    };
    // biome-ignore format: one case a line reads as the rule book does
    it.each([
      ["A neighbour dispute in March 2025", "claim", "mediation", ["MEDIATION_NEIGHBOURS"]],
      ["A neighbour dispute in March 2025", "advice", "juridisch-advies", ["ADVICE_QUESTION_COVERED"]],
      ["An incident on the start date is covered", "claim", "zaakbehandeling", ["CLAIM_COVERED"]],
      ["An incident on the start date is covered", undefined, "zaakbehandeling", ["CLAIM_COVERED"]],
      ["Reported 13 months after the incident", "claim", "juridisch-advies", ["COVERAGE_UNDER_REVIEW"]],
      ["A tax dispute of € 400 is below FIS's minimum", "claim", "juridisch-advies", ["BELOW_MINIMUM_ADVICE"]],
      ["A labour dispute is not covered without ARB", "claim", "doorverwijzing", ["AREA_NOT_INSURED", "REFER_JURIDISCH_LOKET", "REFER_OWN_LAWYER"]],
      ["A divorce is excluded by the divorce clause", "claim", "doorverwijzing", ["AREA_NOT_INSURED", "REFER_JURIDISCH_LOKET", "REFER_OWN_LAWYER"]],
      ["ARB added on 30 November 2024: a dismissal", "advice", "doorverwijzing", ["WAITING_PERIOD_RUNNING", "REFER_JURIDISCH_LOKET", "REFER_OWN_LAWYER"]],
      ["…and nothing from 1 June 2025 on", "claim", "doorverwijzing", ["NO_ACTIVE_POLICY", "REFER_PARTNER", "REFER_JURIDISCH_LOKET", "REFER_OWN_LAWYER"]],
    ] as const)("%s, as %s: %s", async (start, questionKind, type, codes) => {
      const i = scenario(start);
      const res = await h.call("POST", "/v1/coverage/assessments", {
        token: agent,
        json: { ...SCENARIOS[i]!.claim, customerId: `api-${i}`, ...(questionKind ? { questionKind } : {}) },
      });
      expect(res.status).toBe(200);
      const { serviceAdvice } = (await res.json()) as AssessmentAnswer;
      expect({ type: serviceAdvice.type, codes: serviceAdvice.reasons.map((r) => r.code) }).toEqual({ type, codes });
      for (const r of serviceAdvice.reasons) expect(r.message).toMatch(/\b(u|uw)\b/i);
    });

    it("refuses a question kind it does not know, naming the field", async () => {
      const i = scenario("An incident on the start date is covered");
      const res = await h.call("POST", "/v1/coverage/assessments", {
        token: agent,
        json: { ...SCENARIOS[i]!.claim, customerId: `api-${i}`, questionKind: "complaint" },
      });
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { code: string; errors?: Array<{ path: string }> };
      expect(problem.code).toBe("VALIDATION_FAILED");
      expect(problem.errors?.map((e) => e.path)).toContain("body.questionKind");
    });

    it("is in the OpenAPI document", async () => {
      const doc = JSON.stringify(await (await h.call("GET", "/openapi.json")).json());
      for (const word of ["serviceAdvice", "questionKind", "zaakbehandeling", "MEDIATION_NEIGHBOURS"])
        expect(doc).toContain(word);
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

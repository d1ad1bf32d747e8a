import { describe, expect, it } from "vitest";
import { DEMO_CATALOGUE } from "../../src/demo/catalogue.ts";
import { assess } from "../../src/domain/coverage/assess.ts";
import { AppError } from "../../src/domain/errors.ts";
import { expectAnswer } from "./expect-answer.ts";
import { polis, SCENARIOS, TODAY } from "./scenarios.ts";

describe("coverage scenarios, as a claims expert states them", () => {
  it.each(SCENARIOS.map((sc) => [sc.says, sc] as const))("%s", (_says, sc) => {
    const result = assess({ ...sc.claim, policies: sc.policies, products: DEMO_CATALOGUE, today: TODAY });
    expectAnswer(result, sc.expect);
  });

  it("names the other policies it assessed, best first", () => {
    const sc = SCENARIOS.find((x) => x.says.startsWith("Insured through two partners"))!;
    const result = assess({ ...sc.claim, policies: sc.policies, products: DEMO_CATALOGUE, today: TODAY });
    expect(result.otherPolicies).toEqual([
      {
        partner: "VOLMACHT-A",
        policyNumber: "A-700",
        product: "RB-PARTICULIER",
        verdict: "not_covered",
        reasons: ["MODULE_NOT_INSURED"],
      },
    ]);
  });

  it("answers the same whatever order the policies come in", () => {
    const sc = SCENARIOS.find((x) => x.says.startsWith("None of three policies"))!;
    const a = assess({ ...sc.claim, policies: sc.policies, products: DEMO_CATALOGUE, today: TODAY });
    const b = assess({
      ...sc.claim,
      policies: [...sc.policies].reverse(),
      products: DEMO_CATALOGUE,
      today: TODAY,
    });
    expect(b).toEqual(a);
  });

  it("a customer without policies is not covered, and no policy is named", () => {
    const r = assess({
      policies: [],
      products: DEMO_CATALOGUE,
      incidentDate: "2025-01-01",
      legalArea: "wonen",
      today: TODAY,
    });
    expect(r.verdict).toBe("not_covered");
    expect(r.policy).toBeNull();
  });
});

describe("bad input is refused, never guessed", () => {
  const p = [polis("P-1", { start: "2020-01-01", modules: ["CONS"] })];
  const base = {
    policies: p,
    products: DEMO_CATALOGUE,
    today: TODAY,
    legalArea: "consument",
    incidentDate: "2025-01-01",
  };
  it.each([
    ["an unknown legal area", { legalArea: "strafrecht" }, "UNKNOWN_LEGAL_AREA"],
    ["an incident date in the future", { incidentDate: "2026-11-26" }, "VALIDATION_FAILED"],
    ["a reported date before the incident", { reportedDate: "2024-12-31" }, "VALIDATION_FAILED"],
    ["a reported date in the future", { reportedDate: "2027-01-01" }, "VALIDATION_FAILED"],
    ["an incident on 30 February", { incidentDate: "2025-02-30" }, "VALIDATION_FAILED"],
    ["a negative claim amount", { claimAmount: -1 }, "VALIDATION_FAILED"],
  ])("%s", (_what, patch, code) => {
    try {
      assess({ ...base, ...patch });
      expect.unreachable("assess should have thrown");
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe(code);
    }
  });
  it("an incident today, reported today, is fine", () => {
    expect(assess({ ...base, incidentDate: TODAY, reportedDate: TODAY }).verdict).toBe("covered");
  });
});

import { expect } from "vitest";
import { AssessmentAnswer } from "../../src/coverage/coverage-service.ts";
import { AssessmentResult } from "../../src/domain/coverage/result.ts";
import type { Scenario } from "./scenarios.ts";

/**
 * Checks an answer against what the expert expects; shared by the pure and the store-backed runs
 * (the service's and the API's answers carry the service advice as well).
 */
export function expectAnswer(result: AssessmentResult | AssessmentAnswer, e: Scenario["expect"]): void {
  const schema = "serviceAdvice" in result ? AssessmentAnswer : AssessmentResult;
  expect(schema.parse(result)).toEqual(result);
  expect({ verdict: result.verdict, reasons: result.reasons.map((r) => r.code) }).toEqual({
    verdict: e.verdict,
    reasons: e.reasons,
  });
  for (const r of result.reasons) expect(r.message.length).toBeGreaterThan(5);
  if (e.policy !== undefined) expect(result.policy?.policyNumber ?? null).toBe(e.policy);
  if (e.module !== undefined) expect(result.module?.code ?? null).toBe(e.module);
  if (e.conditions !== undefined) expect(result.conditions?.code ?? null).toBe(e.conditions);
  if (e.clauseText) {
    expect(result.reasons.find((r) => r.code === "EXCLUDED_BY_CLAUSE")?.message).toContain(e.clauseText);
    expect(result.clauses.some((c) => c.excludesThisClaim && c.text.includes(e.clauseText!))).toBe(true);
  }
}

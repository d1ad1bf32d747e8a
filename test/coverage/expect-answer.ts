import { expect } from "vitest";
import { AssessmentResult } from "../../src/domain/coverage/result.ts";
import type { Scenario } from "./scenarios.ts";

/** Checks an answer against what the expert expects; shared by the store-backed runs. */
export function expectAnswer(result: AssessmentResult, e: Scenario["expect"]): void {
  expect(AssessmentResult.parse(result)).toEqual(result);
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

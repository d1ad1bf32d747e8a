import { describe, expect, it } from "vitest";
import type { ReasonCode, Verdict } from "../coverage/result.ts";
import { LEGAL_AREAS, type LegalArea } from "../model.ts";
import { ServiceAdvice, type ServiceReasonCode, type ServiceType } from "./advice.ts";
import { adviseService } from "./advise.ts";

type Row = [
  says: string,
  question: "advice" | "claim",
  legalArea: LegalArea,
  verdict: Verdict,
  coverageReasons: ReasonCode[],
  service: ServiceType,
  reasons: ServiceReasonCode[],
];

const REFERRAL = ["REFER_JURIDISCH_LOKET", "REFER_OWN_LAWYER"] as const;

// As the head of the legal service centre puts it.
// biome-ignore format: one rule a line reads as the rule book does
const RULES: Row[] = [
  ["a covered advice question gets advice by phone", "advice", "consument", "covered", ["COVERED"], "juridisch-advies", ["ADVICE_QUESTION_COVERED"]],
  ["an advice question about a divorce is advice too, not mediation", "advice", "familie", "covered", ["COVERED"], "juridisch-advies", ["ADVICE_QUESTION_COVERED"]],
  ["a covered claim against a web shop is handled as a case", "claim", "consument", "covered", ["COVERED"], "zaakbehandeling", ["CLAIM_COVERED"]],
  ["a covered dismissal is handled as a case", "claim", "arbeid", "covered", ["COVERED"], "zaakbehandeling", ["CLAIM_COVERED"]],
  ["a covered dispute over an inheritance is handled as a case", "claim", "erfrecht", "covered", ["COVERED"], "zaakbehandeling", ["CLAIM_COVERED"]],
  ["a covered family dispute goes to mediation", "claim", "familie", "covered", ["COVERED"], "mediation", ["MEDIATION_FAMILY"]],
  ["a covered quarrel with the neighbours goes to mediation", "claim", "buren", "covered", ["COVERED"], "mediation", ["MEDIATION_NEIGHBOURS"]],
  ["a late report is reviewed first; meanwhile advice by phone", "claim", "wonen", "needs_review", ["REPORTED_LATE"], "juridisch-advies", ["COVERAGE_UNDER_REVIEW"]],
  ["a neighbour claim under review is not sent to mediation yet", "claim", "buren", "needs_review", ["INSUFFICIENT_DATA"], "juridisch-advies", ["COVERAGE_UNDER_REVIEW"]],
  ["a caller who is not the policyholder gets advice while that is checked", "advice", "verkeer", "needs_review", ["NOT_POLICYHOLDER"], "juridisch-advies", ["COVERAGE_UNDER_REVIEW"]],
  ["an unknown product is reviewed; meanwhile advice by phone", "claim", "consument", "needs_review", ["UNKNOWN_PRODUCT"], "juridisch-advies", ["COVERAGE_UNDER_REVIEW"]],
  ["a claim below the minimum amount still gets advice by phone", "claim", "fiscaal", "not_covered", ["BELOW_MINIMUM"], "juridisch-advies", ["BELOW_MINIMUM_ADVICE"]],
  ["an advice question knows no minimum amount", "advice", "fiscaal", "not_covered", ["BELOW_MINIMUM"], "juridisch-advies", ["BELOW_MINIMUM_ADVICE"]],
  ["below the minimum and in the waiting period as well: referred", "claim", "fiscaal", "not_covered", ["WAITING_PERIOD", "BELOW_MINIMUM"], "doorverwijzing", ["WAITING_PERIOD_RUNNING", ...REFERRAL]],
  ["an area the policy does not insure is referred", "claim", "arbeid", "not_covered", ["MODULE_NOT_INSURED"], "doorverwijzing", ["AREA_NOT_INSURED", ...REFERRAL]],
  ["an advice question outside the cover is referred too", "advice", "arbeid", "not_covered", ["MODULE_NOT_INSURED"], "doorverwijzing", ["AREA_NOT_INSURED", ...REFERRAL]],
  ["a divorce excluded by a clause is referred, not mediated", "claim", "familie", "not_covered", ["EXCLUDED_BY_CLAUSE"], "doorverwijzing", ["AREA_NOT_INSURED", ...REFERRAL]],
  ["a neighbour quarrel outside the cover is pointed to buurtbemiddeling", "claim", "buren", "not_covered", ["MODULE_NOT_INSURED"], "doorverwijzing", ["AREA_NOT_INSURED", "REFER_BUURTBEMIDDELING", ...REFERRAL]],
  ["an incident in the waiting period is referred", "claim", "arbeid", "not_covered", ["WAITING_PERIOD"], "doorverwijzing", ["WAITING_PERIOD_RUNNING", ...REFERRAL]],
  ["no running policy: back to the partner, who may have a newer one", "claim", "consument", "not_covered", ["POLICY_NOT_ACTIVE"], "doorverwijzing", ["NO_ACTIVE_POLICY", "REFER_PARTNER", ...REFERRAL]],
  ["no running policy trumps every other refusal", "claim", "wonen", "not_covered", ["POLICY_NOT_ACTIVE", "EXCLUDED_BY_CLAUSE"], "doorverwijzing", ["NO_ACTIVE_POLICY", "REFER_PARTNER", ...REFERRAL]],
];

describe("service advice: which service fits the question", () => {
  it.each(RULES)("%s", (_says, questionKind, legalArea, verdict, codes, service, reasons) => {
    const advice = adviseService({
      verdict,
      reasons: codes.map((code) => ({ code })),
      partner: "VOLMACHT-A",
      legalArea,
      questionKind,
    });
    expect(ServiceAdvice.parse(advice)).toEqual(advice);
    expect({ type: advice.type, reasons: advice.reasons.map((r) => r.code) }).toEqual({
      type: service,
      reasons,
    });
  });

  it("a customer without any policy is referred without naming a partner", () => {
    const advice = adviseService({
      verdict: "not_covered",
      reasons: [{ code: "POLICY_NOT_ACTIVE" }],
      legalArea: "consument",
      questionKind: "claim",
    });
    expect(advice.reasons.map((r) => r.code)).toEqual(["NO_ACTIVE_POLICY", ...REFERRAL]);
  });

  it("the referral back to the partner names the partner", () => {
    const advice = adviseService({
      verdict: "not_covered",
      reasons: [{ code: "POLICY_NOT_ACTIVE" }],
      partner: "TUSSEN-B",
      legalArea: "verkeer",
      questionKind: "advice",
    });
    expect(advice.reasons.find((r) => r.code === "REFER_PARTNER")?.message).toContain("TUSSEN-B");
    expect(advice.reasons[0]?.message).toContain("deze vraag");
  });

  it("every verdict, area and question kind gets one service with readable Dutch reasons", () => {
    const verdicts: Array<[Verdict, ReasonCode[]]> = [
      ["covered", ["COVERED"]],
      ["needs_review", ["REPORTED_LATE"]],
      ["not_covered", ["MODULE_NOT_INSURED"]],
      ["not_covered", ["BELOW_MINIMUM"]],
      ["not_covered", ["POLICY_NOT_ACTIVE"]],
    ];
    for (const [verdict, codes] of verdicts)
      for (const legalArea of LEGAL_AREAS)
        for (const questionKind of ["advice", "claim"] as const) {
          const advice = adviseService({
            verdict,
            reasons: codes.map((code) => ({ code })),
            legalArea,
            questionKind,
          });
          expect(ServiceAdvice.safeParse(advice).success).toBe(true);
          for (const r of advice.reasons) expect(r.message).toMatch(/^[A-Z][\s\S]{20,}[.)]$/);
          // Case handling and mediation are promised only for a covered claim.
          if (advice.type === "zaakbehandeling" || advice.type === "mediation")
            expect([verdict, questionKind]).toEqual(["covered", "claim"]);
        }
  });
});

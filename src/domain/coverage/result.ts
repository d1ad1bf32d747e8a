import { z } from "zod";
import { IsoDate, LegalArea, PolicyStatus } from "../model.ts";

/** Verdict of an assessment (contract). */
export const Verdict = z.enum(["covered", "not_covered", "needs_review"]);
export type Verdict = z.infer<typeof Verdict>;

/**
 * Reason codes: the contract's seven, plus our additions for cases the data cannot decide
 * (`UNKNOWN_PRODUCT`, `INSUFFICIENT_DATA`) and for a caller who is not the policyholder (`NOT_POLICYHOLDER`).
 * The order here is the order reasons are listed in an answer.
 */
export const ReasonCode = z.enum([
  "POLICY_NOT_ACTIVE",
  "UNKNOWN_PRODUCT",
  "MODULE_NOT_INSURED",
  "EXCLUDED_BY_CLAUSE",
  "WAITING_PERIOD",
  "BELOW_MINIMUM",
  "INSUFFICIENT_DATA",
  "NOT_POLICYHOLDER",
  "REPORTED_LATE",
  "COVERED",
]);
export type ReasonCode = z.infer<typeof ReasonCode>;

/** Reasons that refuse cover on their own; every other reason (except COVERED) asks for review. */
export const BLOCKING_REASONS: ReadonlySet<ReasonCode> = new Set([
  "POLICY_NOT_ACTIVE",
  "MODULE_NOT_INSURED",
  "EXCLUDED_BY_CLAUSE",
  "WAITING_PERIOD",
  "BELOW_MINIMUM",
]);

/** One reason with a message an intake employee can read out. */
export const Reason = z.object({ code: ReasonCode, message: z.string() });
export type Reason = z.infer<typeof Reason>;

/** The policy an assessment names, as it was on the incident date. */
export const AssessedPolicy = z.object({
  partner: z.string(),
  policyNumber: z.string(),
  customerId: z.string(),
  product: z.string(),
  productName: z.string().optional(),
  /** Status of the version valid on the incident date (or of the earliest known version). */
  status: PolicyStatus,
  startDate: IsoDate,
  endDate: IsoDate.optional(),
  /** Gezin: household members are co-insured. */
  household: z.boolean(),
  /** validFrom of the version the assessment used; absent when no version covers the incident date. */
  versionValidFrom: IsoDate.optional(),
});
export type AssessedPolicy = z.infer<typeof AssessedPolicy>;

/** The module that covers (or would cover) the legal area. */
export const AssessedModule = z.object({
  code: z.string(),
  name: z.string(),
  legalAreas: z.array(LegalArea),
  /** First day of the module's uninterrupted run up to the incident date. */
  since: IsoDate,
  waitingPeriodMonths: z.number().int(),
  /** First day after the waiting period: incidents from this day on are covered. */
  waitingPeriodEndsOn: IsoDate,
  minimumClaimAmount: z.number().optional(),
});
export type AssessedModule = z.infer<typeof AssessedModule>;

/** A product's conditions version (voorwaarden). */
export const Conditions = z.object({ code: z.string(), validFrom: IsoDate });
export type Conditions = z.infer<typeof Conditions>;

/** A clause on the policy with its text; `excludesThisClaim` when it excludes the asked legal area. */
export const AppliedClause = z.object({
  code: z.string(),
  text: z.string(),
  excludesLegalAreas: z.array(LegalArea),
  excludesThisClaim: z.boolean(),
});
export type AppliedClause = z.infer<typeof AppliedClause>;

/** Answer of `POST /v1/coverage/assessments` (contract shape; `otherPolicies` is our addition). */
export const AssessmentResult = z.object({
  verdict: Verdict,
  reasons: z.array(Reason).min(1),
  policy: AssessedPolicy.nullable(),
  module: AssessedModule.nullable(),
  conditions: Conditions.nullable(),
  clauses: z.array(AppliedClause),
  /** The customer's other policies that were assessed too, best first. */
  otherPolicies: z.array(
    z.object({
      partner: z.string(),
      policyNumber: z.string(),
      product: z.string(),
      verdict: Verdict,
      reasons: z.array(ReasonCode),
    }),
  ),
});
export type AssessmentResult = z.infer<typeof AssessmentResult>;

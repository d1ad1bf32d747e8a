import { z } from "zod";

/**
 * Kinds of service (dienstverlening) the legal service centre offers: legal advice by phone, case
 * handling, mediation, or a referral elsewhere.
 */
export const ServiceType = z.enum(["juridisch-advies", "zaakbehandeling", "mediation", "doorverwijzing"]);
export type ServiceType = z.infer<typeof ServiceType>;

/** What the customer asks: an advice question (what are my rights?) or a claim (help me with this dispute). */
export const QuestionKind = z.enum(["advice", "claim"]);
export type QuestionKind = z.infer<typeof QuestionKind>;

/**
 * Reason codes of a service advice; stable, never renamed. The first reason of an advice says why
 * this service; `REFER_*` reasons name where a referred customer can go.
 */
export const ServiceReasonCode = z.enum([
  "ADVICE_QUESTION_COVERED",
  "CLAIM_COVERED",
  "MEDIATION_FAMILY",
  "MEDIATION_NEIGHBOURS",
  "BELOW_MINIMUM_ADVICE",
  "COVERAGE_UNDER_REVIEW",
  "NO_ACTIVE_POLICY",
  "AREA_NOT_INSURED",
  "WAITING_PERIOD_RUNNING",
  "REFER_PARTNER",
  "REFER_BUURTBEMIDDELING",
  "REFER_JURIDISCH_LOKET",
  "REFER_OWN_LAWYER",
]);
export type ServiceReasonCode = z.infer<typeof ServiceReasonCode>;

/** One reason, with a message in Dutch that an agent can read out to the customer. */
export const ServiceReason = z.object({ code: ServiceReasonCode, message: z.string() });
export type ServiceReason = z.infer<typeof ServiceReason>;

/** Which service fits the question, and why (answered beside the coverage verdict). */
export const ServiceAdvice = z.object({
  type: ServiceType,
  reasons: z.array(ServiceReason).min(1),
});
export type ServiceAdvice = z.infer<typeof ServiceAdvice>;

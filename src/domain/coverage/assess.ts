import { AppError, invalid } from "../errors.ts";
import { type IsoDate, LegalArea, type Policy, type Product } from "../model.ts";
import { assessPolicy, type PolicyAssessment } from "./assess-policy.ts";
import type { AssessmentResult, Verdict } from "./result.ts";
import { isCalendarDate } from "./timeline.ts";

/** Everything one assessment needs; the caller has already loaded the candidate policies and products. */
export interface AssessArgs {
  /** Candidate policies (one customer's, or those with the asked polisnummer). */
  policies: readonly Policy[];
  products: readonly Product[] | ReadonlyMap<string, Product>;
  incidentDate: string;
  /** Checked here: an unknown legal area is UNKNOWN_LEGAL_AREA. */
  legalArea: string;
  /** When the claim was reported; today when absent (the assessment is made at the notification). */
  reportedDate?: string | undefined;
  claimAmount?: number | undefined;
  /** Today's calendar date, `yyyy-mm-dd`. */
  today: string;
  /** Our addition: false when the caller is not the policyholder (household cover decides). Default true. */
  callerIsPolicyholder?: boolean | undefined;
}

const RANK: Record<Verdict, number> = { covered: 0, needs_review: 1, not_covered: 2 };

/**
 * Assesses a claim notification on every candidate policy and names the best-covering one:
 * covered before needs_review before not_covered; among equals a policy that ran on the incident date,
 * then fewer reasons, then partner and polisnummer, so the answer never depends on input order.
 */
export function assess(args: AssessArgs): AssessmentResult {
  const facts = checkFacts(args);
  const products =
    args.products instanceof Map
      ? (args.products as ReadonlyMap<string, Product>)
      : new Map((args.products as readonly Product[]).map((p) => [p.code, p]));
  if (args.policies.length === 0)
    return {
      verdict: "not_covered",
      reasons: [{ code: "POLICY_NOT_ACTIVE", message: "Er is geen polis bekend voor deze klant." }],
      policy: null,
      module: null,
      conditions: null,
      clauses: [],
      otherPolicies: [],
    };
  const assessed = args.policies.map((p) => assessPolicy(p, products, facts)).sort(compare);
  const [best, ...others] = assessed as [PolicyAssessment, ...PolicyAssessment[]];
  return {
    ...best,
    otherPolicies: others.map((o) => ({
      partner: o.policy.partner,
      policyNumber: o.policy.policyNumber,
      product: o.policy.product,
      verdict: o.verdict,
      reasons: o.reasons.map((r) => r.code),
    })),
  };
}

function checkFacts(args: AssessArgs) {
  const legal = LegalArea.safeParse(args.legalArea);
  if (!legal.success)
    throw new AppError("UNKNOWN_LEGAL_AREA", `Unknown legal area "${args.legalArea}"`, {
      details: { legalArea: args.legalArea, known: LegalArea.options },
    });
  if (!isCalendarDate(args.today)) throw new TypeError(`today must be a calendar date, got ${args.today}`);
  const incidentDate = calendarDate(args.incidentDate, "incidentDate");
  const reportedDate: IsoDate =
    args.reportedDate === undefined ? args.today : calendarDate(args.reportedDate, "reportedDate");
  if (incidentDate > args.today)
    throw invalid("incidentDate lies in the future", { field: "incidentDate", today: args.today });
  if (reportedDate > args.today)
    throw invalid("reportedDate lies in the future", { field: "reportedDate", today: args.today });
  if (reportedDate < incidentDate)
    throw invalid("reportedDate lies before incidentDate", { field: "reportedDate" });
  if (args.claimAmount !== undefined && !(Number.isFinite(args.claimAmount) && args.claimAmount >= 0))
    throw invalid("claimAmount must be a non-negative amount", { field: "claimAmount" });
  return {
    incidentDate,
    legalArea: legal.data,
    reportedDate,
    ...(args.claimAmount !== undefined ? { claimAmount: args.claimAmount } : {}),
    callerIsPolicyholder: args.callerIsPolicyholder ?? true,
  };
}

function calendarDate(value: string, field: string): IsoDate {
  if (!isCalendarDate(value)) throw invalid(`${field} is not a calendar date yyyy-mm-dd`, { field });
  return value;
}

function compare(a: PolicyAssessment, b: PolicyAssessment): number {
  const notRunning = (x: PolicyAssessment) => (x.reasons.some((r) => r.code === "POLICY_NOT_ACTIVE") ? 1 : 0);
  return (
    RANK[a.verdict] - RANK[b.verdict] ||
    notRunning(a) - notRunning(b) ||
    a.reasons.length - b.reasons.length ||
    a.policy.partner.localeCompare(b.policy.partner, "en") ||
    a.policy.policyNumber.localeCompare(b.policy.policyNumber, "en")
  );
}

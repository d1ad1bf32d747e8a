import type { IsoDate, LegalArea, Policy, PolicyVersion, Product } from "../model.ts";
import {
  type AppliedClause,
  type AssessedModule,
  type AssessedPolicy,
  BLOCKING_REASONS,
  type Conditions,
  type Reason,
  ReasonCode,
  type Verdict,
} from "./result.ts";
import { addMonthsClamped, isRunningOn, moduleSpan, versionOn } from "./timeline.ts";

/** What one policy is assessed against; dates are checked calendar dates. */
export interface ClaimFacts {
  incidentDate: IsoDate;
  legalArea: LegalArea;
  reportedDate: IsoDate;
  claimAmount?: number;
  callerIsPolicyholder: boolean;
}

/** The assessment of one policy. */
export interface PolicyAssessment {
  verdict: Verdict;
  reasons: Reason[];
  policy: AssessedPolicy;
  module: AssessedModule | null;
  conditions: Conditions | null;
  clauses: AppliedClause[];
}

type Module = Product["modules"][number];

/** Assesses one policy against a claim, with the product its version on the incident date names. */
export function assessPolicy(
  policy: Policy,
  products: ReadonlyMap<string, Product>,
  facts: ClaimFacts,
): PolicyAssessment {
  const { incidentDate, legalArea } = facts;
  const version = versionOn(policy, incidentDate);
  const shown = version ?? earliest(policy);
  const product = products.get(shown.product);
  const reasons: Reason[] = [];
  const out = (module: AssessedModule | null = null, clauses: AppliedClause[] = []): PolicyAssessment => {
    const sorted = sortReasons(reasons);
    return {
      verdict: verdictOf(sorted),
      reasons: sorted,
      policy: describePolicy(policy, shown, product, version),
      module,
      conditions: product ? conditionsInForce(product, version?.conditionsCode, incidentDate) : null,
      clauses,
    };
  };

  if (!facts.callerIsPolicyholder && !shown.household)
    reasons.push({
      code: "NOT_POLICYHOLDER",
      message:
        "De beller is niet de verzekeringnemer en de polis heeft geen gezinsdekking: beoordelen of de beller meeverzekerd is.",
    });
  if (product) {
    const deadline = addMonthsClamped(incidentDate, product.reportingDeadlineMonths);
    if (facts.reportedDate > deadline)
      reasons.push({
        code: "REPORTED_LATE",
        message: `Gemeld op ${facts.reportedDate}, na de meldingstermijn van ${product.reportingDeadlineMonths} maanden (uiterlijk ${deadline}): beoordelen of de late melding de belangen heeft geschaad.`,
      });
  }

  if (!version) {
    if (incidentDate >= shown.startDate && incidentDate < shown.validFrom)
      reasons.push({
        code: "INSUFFICIENT_DATA",
        message: `De polishistorie begint op ${shown.validFrom}; hoe de polis op ${incidentDate} luidde is niet bekend.`,
      });
    else
      reasons.push({
        code: "POLICY_NOT_ACTIVE",
        message: `De polis liep niet op ${incidentDate} (ingangsdatum ${shown.startDate}).`,
      });
    return out();
  }
  if (!isRunningOn(version, incidentDate)) {
    reasons.push({ code: "POLICY_NOT_ACTIVE", message: notRunningMessage(version, incidentDate) });
    return out();
  }
  if (!product) {
    reasons.push({
      code: "UNKNOWN_PRODUCT",
      message: `Product ${version.product} staat niet in de productcatalogus; dekking is niet vast te stellen.`,
    });
    return out();
  }

  const clauses = appliedClauses(version, product, legalArea, reasons);
  const module = pickModule(policy, version, product, facts, reasons);
  return out(module, clauses);
}

/** The clauses on the version with their texts; records exclusions and clause codes the product lacks. */
function appliedClauses(
  version: PolicyVersion,
  product: Product,
  legalArea: LegalArea,
  reasons: Reason[],
): AppliedClause[] {
  const clauses: AppliedClause[] = [];
  for (const code of version.clauseCodes) {
    const clause = product.clauses.find((c) => c.code === code);
    if (!clause) {
      reasons.push({
        code: "INSUFFICIENT_DATA",
        message: `Clausule ${code} staat niet in product ${product.code}; niet vast te stellen of die dit rechtsgebied uitsluit.`,
      });
      continue;
    }
    const excludes = clause.excludesLegalAreas.includes(legalArea);
    if (excludes)
      reasons.push({
        code: "EXCLUDED_BY_CLAUSE",
        message: `Clausule ${code} sluit ${legalArea} uit: ${clause.text}`,
      });
    clauses.push({ ...clause, excludesThisClaim: excludes });
  }
  return clauses;
}

/**
 * Finds the modules on the version that cover the legal area and keeps the one with the fewest
 * refusals, then the fewest review points, then the product's order; adds that module's reasons.
 */
function pickModule(
  policy: Policy,
  version: PolicyVersion,
  product: Product,
  facts: ClaimFacts,
  reasons: Reason[],
): AssessedModule | null {
  const candidates = product.modules.filter(
    (m) => version.modules.includes(m.code) && m.legalAreas.includes(facts.legalArea),
  );
  if (candidates.length === 0) {
    const unknown = version.modules.filter((code) => !product.modules.some((m) => m.code === code));
    reasons.push(
      unknown.length > 0
        ? {
            code: "INSUFFICIENT_DATA",
            message: `Geen bekende module dekt ${facts.legalArea}, en module(s) ${unknown.join(", ")} staan niet in product ${product.code}.`,
          }
        : {
            code: "MODULE_NOT_INSURED",
            message: `Geen module op de polis dekt ${facts.legalArea} (modules: ${version.modules.join(", ") || "geen"}).`,
          },
    );
    return null;
  }
  const assessed = candidates.map((m) => moduleReasons(policy, m, facts));
  const score = (rs: Reason[]) => rs.filter((r) => BLOCKING_REASONS.has(r.code)).length * 100 + rs.length;
  let best = assessed[0]!;
  for (const a of assessed.slice(1)) if (score(a.reasons) < score(best.reasons)) best = a;
  reasons.push(...best.reasons);
  return best.module;
}

/** The waiting-period, minimum-amount and unknown-history reasons of one module. */
function moduleReasons(
  policy: Policy,
  m: Module,
  facts: ClaimFacts,
): { module: AssessedModule; reasons: Reason[] } {
  const reasons: Reason[] = [];
  // The version on the incident date runs and holds the module, so a span always exists here.
  const span = moduleSpan(policy, m.code, facts.incidentDate)!;
  const waitingPeriodEndsOn = addMonthsClamped(span.since, m.waitingPeriodMonths);
  if (facts.incidentDate < waitingPeriodEndsOn) {
    const first = earliest(policy);
    const earliestEnd = addMonthsClamped(first.startDate, m.waitingPeriodMonths);
    if (!span.complete && facts.incidentDate >= earliestEnd)
      reasons.push({
        code: "INSUFFICIENT_DATA",
        message: `Module ${m.code} staat op de polis sinds ten minste ${span.since}; of de wachttijd van ${m.waitingPeriodMonths} maanden voorbij was is uit de historie niet op te maken.`,
      });
    else
      reasons.push({
        code: "WAITING_PERIOD",
        message: `Module ${m.code} loopt sinds ${span.since}; de wachttijd van ${m.waitingPeriodMonths} maanden eindigt op ${waitingPeriodEndsOn}, na de gebeurtenis op ${facts.incidentDate}.`,
      });
  }
  if (m.minimumClaimAmount !== undefined) {
    if (facts.claimAmount === undefined)
      reasons.push({
        code: "INSUFFICIENT_DATA",
        message: `Module ${m.code} heeft een minimaal belang van € ${m.minimumClaimAmount}; het belang van deze zaak is niet opgegeven.`,
      });
    else if (facts.claimAmount < m.minimumClaimAmount)
      reasons.push({
        code: "BELOW_MINIMUM",
        message: `Het belang van € ${facts.claimAmount} ligt onder het minimum van € ${m.minimumClaimAmount} voor module ${m.code}.`,
      });
  }
  const module: AssessedModule = {
    code: m.code,
    name: m.name,
    legalAreas: m.legalAreas,
    since: span.since,
    waitingPeriodMonths: m.waitingPeriodMonths,
    waitingPeriodEndsOn,
    ...(m.minimumClaimAmount !== undefined ? { minimumClaimAmount: m.minimumClaimAmount } : {}),
  };
  return { module, reasons };
}

/** The conditions in force: the policy's own code when the product knows it, else the latest dated on or before the incident. */
export function conditionsInForce(
  product: Product,
  policyCode: string | undefined,
  date: IsoDate,
): Conditions | null {
  const own = policyCode ? product.conditions.find((c) => c.code === policyCode) : undefined;
  if (own) return { code: own.code, validFrom: own.validFrom };
  let best: Conditions | null = null;
  for (const c of product.conditions)
    if (c.validFrom <= date && (!best || c.validFrom > best.validFrom))
      best = { code: c.code, validFrom: c.validFrom };
  return best;
}

function verdictOf(reasons: readonly Reason[]): Verdict {
  if (reasons.some((r) => BLOCKING_REASONS.has(r.code))) return "not_covered";
  if (reasons.some((r) => r.code !== "COVERED")) return "needs_review";
  return "covered";
}

function sortReasons(reasons: Reason[]): Reason[] {
  const list = reasons.length > 0 ? reasons : [{ code: "COVERED" as const, message: "Gedekt." }];
  const order = ReasonCode.options;
  return [...list].sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));
}

function earliest(policy: Policy): PolicyVersion {
  return policy.versions.reduce((a, b) => (b.validFrom < a.validFrom ? b : a));
}

function notRunningMessage(v: PolicyVersion, date: IsoDate): string {
  if (v.status === "geschorst") return `De polis was op ${date} geschorst.`;
  if (v.status === "geroyeerd" && !v.endDate) return `De polis was op ${date} beëindigd (geroyeerd).`;
  if (date < v.startDate) return `De polis ging pas in op ${v.startDate}, na de gebeurtenis op ${date}.`;
  return `De polis eindigde per ${v.endDate} (de einddatum is de eerste dag zonder dekking); de gebeurtenis op ${date} valt daarna.`;
}

function describePolicy(
  policy: Policy,
  v: PolicyVersion,
  product: Product | undefined,
  used: PolicyVersion | undefined,
): AssessedPolicy {
  return {
    partner: policy.partner,
    policyNumber: policy.policyNumber,
    customerId: policy.customerId,
    product: v.product,
    ...(product ? { productName: product.name } : {}),
    status: v.status,
    startDate: v.startDate,
    ...(v.endDate ? { endDate: v.endDate } : {}),
    household: v.household,
    ...(used ? { versionValidFrom: used.validFrom } : {}),
  };
}

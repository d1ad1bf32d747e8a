import type { ReasonCode, Verdict } from "../../src/domain/coverage/result.ts";
import type { Policy, PolicyStatus, PolicyVersion } from "../../src/domain/model.ts";

/** The date every scenario is assessed on. */
export const TODAY = "2026-11-25";
export const CUSTOMER = "klant-1";

/** One step in a policy's life: from this date on, the policy reads like this. */
interface Step {
  from: string;
  modules: string[];
  status?: PolicyStatus;
  end?: string;
  clauses?: string[];
  conditions?: string;
  household?: boolean;
  start?: string;
  product?: string;
}

/** Builds a policy from the steps in its life; each step's version runs until the next step. */
export function polis(
  policyNumber: string,
  o: {
    partner?: string;
    product?: string;
    start: string;
    steps?: Step[];
    modules?: string[];
  } & Partial<Step>,
): Policy {
  const steps: Step[] = o.steps ?? [{ from: o.start, modules: o.modules ?? [], ...o }];
  const versions: PolicyVersion[] = steps.map((s, i) => ({
    product: s.product ?? o.product ?? "RB-PARTICULIER",
    modules: s.modules,
    startDate: s.start ?? o.start,
    ...(s.end ? { endDate: s.end } : {}),
    status: s.status ?? "actief",
    ...(s.conditions ? { conditionsCode: s.conditions } : {}),
    clauseCodes: s.clauses ?? [],
    household: s.household ?? false,
    validFrom: s.from,
    ...(steps[i + 1] ? { validTo: steps[i + 1]!.from } : {}),
    deliveryIds: [`d-${i + 1}`],
  }));
  return {
    partner: o.partner ?? "VOLMACHT-A",
    policyNumber,
    customerId: CUSTOMER,
    versions,
    deliveryIds: versions.flatMap((v) => v.deliveryIds),
  };
}

/** A claim as the intake employee records it. */
export interface Claim {
  incidentDate: string;
  legalArea: string;
  reportedDate?: string;
  claimAmount?: number;
  callerIsPolicyholder?: boolean;
}

/** A scenario as a claims expert states it, and the answer they expect. */
export interface Scenario {
  says: string;
  policies: Policy[];
  claim: Claim;
  expect: {
    verdict: Verdict;
    reasons: ReasonCode[];
    policy?: string | null;
    module?: string | null;
    conditions?: string | null;
    /** A phrase the answer's clause text must contain. */
    clauseText?: string;
  };
}

const ALL_P = ["CONS", "WON", "ARB", "VERK", "FAM", "FIS", "MED"];
const basic = polis("P-100", { start: "2020-01-01", modules: ["CONS", "WON", "VERK"] });
const addedArb = polis("P-200", {
  start: "2015-03-01",
  steps: [
    { from: "2015-03-01", modules: ["CONS", "WON"] },
    { from: "2024-11-30", modules: ["CONS", "WON", "ARB"] },
  ],
});
const leapArb = polis("P-201", {
  start: "2019-06-01",
  steps: [
    { from: "2019-06-01", modules: ["CONS"] },
    { from: "2023-11-30", modules: ["CONS", "ARB"] },
  ],
});
const leapFam = polis("P-202", {
  start: "2018-01-01",
  steps: [
    { from: "2018-01-01", modules: ["CONS"] },
    { from: "2024-02-29", modules: ["CONS", "FAM"] },
  ],
});
const droppedArb = polis("P-300", {
  start: "2018-01-01",
  steps: [
    { from: "2018-01-01", modules: ["CONS", "ARB"] },
    { from: "2025-01-01", modules: ["CONS"] },
    { from: "2025-09-01", modules: ["CONS", "ARB"] },
  ],
});
const withClauses = polis("P-400", { start: "2019-01-01", modules: ALL_P, clauses: ["CL-BOUW", "CL-ECHT"] });
const endedFixed = polis("P-500", { start: "2021-01-01", end: "2025-01-01", modules: ["CONS", "WON"] });
// What the policy-history writer makes of a full delivery of 2025-06-01 that no longer holds the policy.
const endedByFullDelivery = polis("P-501", {
  start: "2021-04-01",
  steps: [
    { from: "2021-04-01", modules: ["CONS", "WON"] },
    { from: "2025-06-01", modules: ["CONS", "WON"], status: "geroyeerd", end: "2025-06-01" },
  ],
});
// A partner's first row for this policy already says it was cancelled as of 28 June 2025.
const deliveredCancelled = polis("P-502", {
  start: "2018-03-01",
  status: "geroyeerd",
  end: "2025-06-28",
  modules: ["CONS", "ARB"],
});
const suspended = polis("P-600", {
  start: "2019-01-01",
  steps: [
    { from: "2019-01-01", modules: ["CONS", "ARB"] },
    { from: "2025-03-01", modules: ["CONS", "ARB"], status: "geschorst" },
    { from: "2025-05-01", modules: ["CONS", "ARB"] },
  ],
});
const viaA = polis("A-700", { partner: "VOLMACHT-A", start: "2020-01-01", modules: ["CONS", "WON"] });
const viaB = polis("B-700", { partner: "TUSSEN-B", start: "2022-01-01", modules: ["CONS", "ARB"] });
const viaC = polis("C-700", { partner: "MULTI-C", start: "2022-01-01", modules: ["CONS"] });
const unknownProduct = polis("X-800", { product: "RB-ONBEKEND", start: "2020-01-01", modules: ["CONS"] });
const business = polis("Z-900", {
  product: "RB-ZAKELIJK",
  start: "2023-02-01",
  modules: ["ONDN", "ARBZ", "FISZ"],
  clauses: ["CL-INCASSO"],
});
const fiscal = polis("P-910", { start: "2020-01-01", modules: ["CONS", "FIS"] });
const onOldConditions = polis("P-920", { start: "2022-05-01", modules: ["CONS"], conditions: "RBP-2022" });
const household = polis("P-930", { start: "2020-01-01", modules: ["CONS", "WON"], household: true });
const laterHistory = polis("P-940", {
  start: "2016-01-01",
  steps: [{ from: "2025-06-01", modules: ["CONS", "ARB"], start: "2016-01-01" }],
});
const unknownClause = polis("P-950", { start: "2020-01-01", modules: ["CONS"], clauses: ["CL-NIEUW"] });
const futureStart = polis("P-960", {
  start: "2026-12-01",
  steps: [{ from: "2026-11-01", modules: ["CONS"] }],
});

/** The scenarios; each `says` is how a claims expert would put it. */
export const SCENARIOS: Scenario[] = [
  s(
    "A neighbour dispute in March 2025 on a policy with WON since 2020 is covered under WON, on the 2025 conditions",
    [basic],
    { incidentDate: "2025-03-10", legalArea: "buren" },
    { verdict: "covered", reasons: ["COVERED"], policy: "P-100", module: "WON", conditions: "RBP-2025" },
  ),
  s(
    "The same dispute in 2024 falls under the 2022 conditions",
    [basic],
    { incidentDate: "2024-03-10", legalArea: "buren" },
    { verdict: "covered", reasons: ["COVERED"], conditions: "RBP-2022" },
  ),
  s(
    "A policy on the 2022 conditions stays on them for a 2025 incident",
    [onOldConditions],
    { incidentDate: "2025-07-01", legalArea: "consument" },
    { verdict: "covered", reasons: ["COVERED"], conditions: "RBP-2022" },
  ),
  s(
    "An incident on the start date is covered",
    [basic],
    { incidentDate: "2020-01-01", legalArea: "consument" },
    { verdict: "covered", reasons: ["COVERED"] },
  ),
  s(
    "An incident the day before the start date is not",
    [basic],
    { incidentDate: "2019-12-31", legalArea: "consument", reportedDate: "2020-02-01" },
    { verdict: "not_covered", reasons: ["POLICY_NOT_ACTIVE"], module: null },
  ),
  s(
    "A labour dispute is not covered without ARB",
    [basic],
    { incidentDate: "2025-03-10", legalArea: "arbeid" },
    { verdict: "not_covered", reasons: ["MODULE_NOT_INSURED"] },
  ),
  s(
    "ARB added on 30 November 2024: a dismissal on 27 February 2025 is still in the waiting period",
    [addedArb],
    { incidentDate: "2025-02-27", legalArea: "arbeid" },
    { verdict: "not_covered", reasons: ["WAITING_PERIOD"], module: "ARB" },
  ),
  s(
    "…and on 28 February 2025 the 3 months from 30 November are over: covered",
    [addedArb],
    { incidentDate: "2025-02-28", legalArea: "arbeid" },
    { verdict: "covered", reasons: ["COVERED"], module: "ARB" },
  ),
  s(
    "The waiting period counts from the module's own start, not from the policy start in 2015",
    [addedArb],
    { incidentDate: "2025-01-15", legalArea: "inkomen" },
    { verdict: "not_covered", reasons: ["WAITING_PERIOD"] },
  ),
  s(
    "Leap year: ARB from 30 November 2023 is in its waiting period on 28 February 2024",
    [leapArb],
    { incidentDate: "2024-02-28", legalArea: "arbeid", reportedDate: "2024-03-01" },
    { verdict: "not_covered", reasons: ["WAITING_PERIOD"] },
  ),
  s(
    "…and covered on 29 February 2024",
    [leapArb],
    { incidentDate: "2024-02-29", legalArea: "arbeid", reportedDate: "2024-03-01" },
    { verdict: "covered", reasons: ["COVERED"] },
  ),
  s(
    "FAM added on 29 February 2024 has 12 months waiting: 27 February 2025 is too early",
    [leapFam],
    { incidentDate: "2025-02-27", legalArea: "erfrecht" },
    { verdict: "not_covered", reasons: ["WAITING_PERIOD"] },
  ),
  s(
    "…28 February 2025 is the first covered day",
    [leapFam],
    { incidentDate: "2025-02-28", legalArea: "erfrecht" },
    { verdict: "covered", reasons: ["COVERED"], module: "FAM" },
  ),
  s(
    "ARB dropped on 1 January 2025: a dispute in March 2025 is not insured",
    [droppedArb],
    { incidentDate: "2025-03-01", legalArea: "arbeid" },
    { verdict: "not_covered", reasons: ["MODULE_NOT_INSURED"] },
  ),
  s(
    "ARB back on 1 September 2025: its waiting period starts again",
    [droppedArb],
    { incidentDate: "2025-10-15", legalArea: "arbeid" },
    { verdict: "not_covered", reasons: ["WAITING_PERIOD"] },
  ),
  s(
    "…a dispute from before the drop is judged on the old version and covered",
    [droppedArb],
    { incidentDate: "2024-12-31", legalArea: "arbeid" },
    { verdict: "covered", reasons: ["COVERED"] },
  ),
  s(
    "A dispute with the builder of the house is excluded by the building clause, with its text",
    [withClauses],
    { incidentDate: "2025-04-01", legalArea: "wonen" },
    {
      verdict: "not_covered",
      reasons: ["EXCLUDED_BY_CLAUSE"],
      module: "WON",
      clauseText: "bouwen, verbouwen of slopen",
    },
  ),
  s(
    "The building clause does not touch a neighbour dispute",
    [withClauses],
    { incidentDate: "2025-04-01", legalArea: "buren" },
    { verdict: "covered", reasons: ["COVERED"] },
  ),
  s(
    "A divorce is excluded by the divorce clause even after FAM's waiting period",
    [withClauses],
    { incidentDate: "2025-04-01", legalArea: "familie" },
    { verdict: "not_covered", reasons: ["EXCLUDED_BY_CLAUSE"], clauseText: "echtscheiding" },
  ),
  s(
    "Reported 13 months after the incident: covered on the merits, so review, not refusal",
    [basic],
    { incidentDate: "2024-01-10", legalArea: "consument", reportedDate: "2025-02-11" },
    { verdict: "needs_review", reasons: ["REPORTED_LATE"], module: "CONS" },
  ),
  s(
    "Reported exactly 12 months later is in time",
    [basic],
    { incidentDate: "2024-01-10", legalArea: "consument", reportedDate: "2025-01-10" },
    { verdict: "covered", reasons: ["COVERED"] },
  ),
  s(
    "Incident on 29 February 2024, reported 28 February 2025: in time",
    [basic],
    { incidentDate: "2024-02-29", legalArea: "consument", reportedDate: "2025-02-28" },
    { verdict: "covered", reasons: ["COVERED"] },
  ),
  s(
    "…reported 1 March 2025: late",
    [basic],
    { incidentDate: "2024-02-29", legalArea: "consument", reportedDate: "2025-03-01" },
    { verdict: "needs_review", reasons: ["REPORTED_LATE"] },
  ),
  s(
    "Late and not insured: refused, and both reasons are named",
    [basic],
    { incidentDate: "2023-01-10", legalArea: "medisch", reportedDate: "2025-01-10" },
    { verdict: "not_covered", reasons: ["MODULE_NOT_INSURED", "REPORTED_LATE"] },
  ),
  s(
    "A policy ending on 1 January 2025 covers 31 December 2024",
    [endedFixed],
    { incidentDate: "2024-12-31", legalArea: "wonen" },
    { verdict: "covered", reasons: ["COVERED"] },
  ),
  s(
    "…but not 1 January 2025, its einddatum",
    [endedFixed],
    { incidentDate: "2025-01-01", legalArea: "wonen" },
    { verdict: "not_covered", reasons: ["POLICY_NOT_ACTIVE"] },
  ),
  s(
    "A policy missing from the full delivery of 1 June 2025 covers 31 May 2025",
    [endedByFullDelivery],
    { incidentDate: "2025-05-31", legalArea: "wonen" },
    { verdict: "covered", reasons: ["COVERED"] },
  ),
  s(
    "…and nothing from 1 June 2025 on",
    [endedByFullDelivery],
    { incidentDate: "2025-06-01", legalArea: "wonen" },
    { verdict: "not_covered", reasons: ["POLICY_NOT_ACTIVE"] },
  ),
  s(
    "A policy delivered as cancelled per 28 June 2025 still covers 27 June 2025",
    [deliveredCancelled],
    { incidentDate: "2025-06-27", legalArea: "arbeid" },
    { verdict: "covered", reasons: ["COVERED"], module: "ARB" },
  ),
  s(
    "…and not 28 June 2025",
    [deliveredCancelled],
    { incidentDate: "2025-06-28", legalArea: "consument" },
    { verdict: "not_covered", reasons: ["POLICY_NOT_ACTIVE"] },
  ),
  s(
    "A suspended (geschorst) policy gives no cover",
    [suspended],
    { incidentDate: "2025-04-01", legalArea: "consument" },
    { verdict: "not_covered", reasons: ["POLICY_NOT_ACTIVE"] },
  ),
  s(
    "After reinstatement the cover is back",
    [suspended],
    { incidentDate: "2025-05-02", legalArea: "consument" },
    { verdict: "covered", reasons: ["COVERED"] },
  ),
  s(
    "…but a suspension restarts ARB's waiting period",
    [suspended],
    { incidentDate: "2025-06-01", legalArea: "arbeid" },
    { verdict: "not_covered", reasons: ["WAITING_PERIOD"] },
  ),
  s(
    "Insured through two partners: only TUSSEN-B's policy has ARB, so that one is named",
    [viaA, viaB],
    { incidentDate: "2025-03-01", legalArea: "arbeid" },
    { verdict: "covered", reasons: ["COVERED"], policy: "B-700", module: "ARB" },
  ),
  s(
    "Both policies cover a consumer dispute: the choice is fixed (partner order), not random",
    [viaB, viaA],
    { incidentDate: "2025-03-01", legalArea: "consument" },
    { verdict: "covered", reasons: ["COVERED"], policy: "B-700" },
  ),
  s(
    "None of three policies covers medical disputes: refused, the running policy is named",
    [viaC, viaA, viaB],
    { incidentDate: "2025-03-01", legalArea: "medisch" },
    { verdict: "not_covered", reasons: ["MODULE_NOT_INSURED"] },
  ),
  s(
    "An unknown product cannot be judged: review",
    [unknownProduct],
    { incidentDate: "2025-03-01", legalArea: "consument" },
    { verdict: "needs_review", reasons: ["UNKNOWN_PRODUCT"], conditions: null },
  ),
  s(
    "…unless another policy of the customer covers it",
    [unknownProduct, viaA],
    { incidentDate: "2025-03-01", legalArea: "consument" },
    { verdict: "covered", reasons: ["COVERED"], policy: "A-700" },
  ),
  s(
    "Collecting an undisputed invoice is excluded by the debt-collection clause",
    [business],
    { incidentDate: "2025-03-01", legalArea: "ondernemen", claimAmount: 5000 },
    {
      verdict: "not_covered",
      reasons: ["EXCLUDED_BY_CLAUSE"],
      module: "ONDN",
      conditions: "RBZ-2023",
      clauseText: "incasseren",
    },
  ),
  s(
    "A business consumer dispute of € 800 is below ONDN's minimum of € 1000",
    [business],
    { incidentDate: "2025-03-01", legalArea: "consument", claimAmount: 800 },
    { verdict: "not_covered", reasons: ["BELOW_MINIMUM"] },
  ),
  s(
    "FISZ has 6 months waiting from 1 February 2023: 31 July 2023 is too early",
    [business],
    { incidentDate: "2023-07-31", legalArea: "fiscaal" },
    { verdict: "not_covered", reasons: ["WAITING_PERIOD"] },
  ),
  s(
    "A tax dispute of € 400 is below FIS's minimum of € 500",
    [fiscal],
    { incidentDate: "2025-03-01", legalArea: "fiscaal", claimAmount: 400 },
    { verdict: "not_covered", reasons: ["BELOW_MINIMUM"] },
  ),
  s(
    "…€ 500 is enough",
    [fiscal],
    { incidentDate: "2025-03-01", legalArea: "vermogen", claimAmount: 500 },
    { verdict: "covered", reasons: ["COVERED"], module: "FIS" },
  ),
  s(
    "…and without an amount the minimum cannot be checked: review",
    [fiscal],
    { incidentDate: "2025-03-01", legalArea: "fiscaal" },
    { verdict: "needs_review", reasons: ["INSUFFICIENT_DATA"] },
  ),
  s(
    "A housemate calls; the policy has household cover: covered",
    [household],
    { incidentDate: "2025-03-01", legalArea: "wonen", callerIsPolicyholder: false },
    { verdict: "covered", reasons: ["COVERED"] },
  ),
  s(
    "A housemate calls; no household cover: review",
    [basic],
    { incidentDate: "2025-03-01", legalArea: "wonen", callerIsPolicyholder: false },
    { verdict: "needs_review", reasons: ["NOT_POLICYHOLDER"] },
  ),
  s(
    "History known only from June 2025 on a policy from 2016: an ARB case in July 2025 cannot be decided",
    [laterHistory],
    { incidentDate: "2025-07-01", legalArea: "arbeid" },
    { verdict: "needs_review", reasons: ["INSUFFICIENT_DATA"], module: "ARB" },
  ),
  s(
    "…nor can an incident from before the known history",
    [laterHistory],
    { incidentDate: "2024-07-01", legalArea: "consument" },
    { verdict: "needs_review", reasons: ["INSUFFICIENT_DATA"] },
  ),
  s(
    "A clause the catalogue does not know might exclude the area: review",
    [unknownClause],
    { incidentDate: "2025-03-01", legalArea: "consument" },
    { verdict: "needs_review", reasons: ["INSUFFICIENT_DATA"] },
  ),
  s(
    "A policy delivered ahead of its start on 1 December 2026 does not cover today",
    [futureStart],
    { incidentDate: "2026-11-20", legalArea: "consument" },
    { verdict: "not_covered", reasons: ["POLICY_NOT_ACTIVE"] },
  ),
];

/** Unless a scenario is about late reporting, the claim is reported a week after the incident. */
function s(says: string, policies: Policy[], claim: Claim, expect: Scenario["expect"]): Scenario {
  const weekLater = addDays(claim.incidentDate, 7);
  const reportedDate = claim.reportedDate ?? (weekLater < TODAY ? weekLater : TODAY);
  return { says, policies, claim: { ...claim, reportedDate }, expect };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

import type { DeliveryQuality } from "../domain/delivery-quality.ts";
import type { AuditRecord, Delivery } from "../domain/model.ts";
import type { Partner, PartnerPhase } from "../domain/partner.ts";
import { type CurrentFigure, PHASE_CHECKS } from "./thresholds.ts";

/** One delivery's figures in the report (shares 0..1, three decimals). */
export interface DeliveryFigures {
  id: string;
  kind: Delivery["kind"];
  format: Delivery["format"];
  status: Delivery["status"];
  receivedAt: string;
  rows: number;
  accepted: number;
  rejected: number;
  rejectedShare: number;
  /** Rejected rows by the field (or label) that failed. */
  rejectedByReason: Record<string, number>;
  completeness: { birthDate: number; phone: number; email: number; postcode: number; houseNumber: number };
  findability: { nameBirthDate: number; postcodeHouseNumber: number; phone: number };
  duplicatePolicyNumbers: number;
  unknownProducts: { rows: number; codes: string[] };
  unknownModules: { rows: number; codes: string[] };
  sharedCustomers: number;
  /** Policies this full delivery ended (0 while held). */
  ended: number;
  /** NVGA File Polis: policies of other branches skipped, and labels not understood. */
  skippedOtherBranches?: number;
  unknownLabels?: Record<string, number>;
}

/** Use of the partner's data per month, from the audit log. */
export interface UsageMonth {
  /** yyyy-mm. */
  month: string;
  /** Lookups (search, caller, customer detail, verification) that returned one of its customers. */
  lookups: number;
  /** Coverage assessments on one of its customers. */
  assessments: number;
  /** True when the month had more audit records than were read. */
  truncated: boolean;
}

/** A check of the partner's current phase, with the figure it found. */
export interface CheckResult {
  code: string;
  label: string;
  value: number | null;
  op: "min" | "max";
  bound: number;
  passed: boolean;
}

/** `GET /v1/partners/{id}/quality`: per delivery, as a trend, the usage, and the checks of its phase. */
export interface PartnerQualityReport {
  partner: Pick<Partner, "id" | "name" | "type" | "phase">;
  generatedAt: string;
  lastFullDelivery: { id: string; receivedAt: string } | null;
  daysSinceLastFull: number | null;
  /** Figures of the latest delivery with figures (the one the checks judge), or null before any. */
  current: (DeliveryFigures & { daysSinceLastFull: number | null }) | null;
  /** Newest first. */
  deliveries: DeliveryFigures[];
  /** Oldest first, one point per delivery with figures: what a chart of the trend draws. */
  trend: Array<{
    receivedAt: string;
    deliveryId: string;
    rejectedShare: number;
    birthDate: number;
    phone: number;
    email: number;
    postcode: number;
    findableNameBirthDate: number;
    findablePostcodeHouseNumber: number;
  }>;
  usage: UsageMonth[];
  checks: {
    phase: PartnerPhase;
    nextPhase: PartnerPhase | null;
    mayMoveOn: boolean;
    results: CheckResult[];
    failing: string[];
  };
}

/** Lookup endpoints whose answers are counted as uses of a partner's data. */
const LOOKUPS = new Set([
  "POST /v1/search",
  "POST /v1/callers",
  "GET /v1/customers/:customerId",
  "POST /v1/verifications",
]);
const ASSESSMENTS = "POST /v1/coverage/assessments";

const share = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 1000) / 1000 : 0);
const DAY = 86_400_000;

/** One delivery's figures from its record. */
export function deliveryFigures(d: Delivery): DeliveryFigures {
  const q: DeliveryQuality | undefined = d.quality;
  const accepted = d.counts.accepted;
  const persons = q?.persons ?? 0;
  const c = q?.completeness;
  return {
    id: d.id,
    kind: d.kind,
    format: d.format,
    status: d.status,
    receivedAt: d.receivedAt,
    rows: d.counts.rows,
    accepted,
    rejected: d.counts.rejected,
    rejectedShare: share(d.counts.rejected, d.counts.rows),
    rejectedByReason: q?.rejectedByField ?? {},
    completeness: {
      birthDate: share(c?.birthDate ?? 0, persons),
      phone: share(c?.phone ?? 0, accepted),
      email: share(c?.email ?? 0, accepted),
      postcode: share(c?.postcode ?? 0, accepted),
      houseNumber: share(c?.houseNumber ?? 0, accepted),
    },
    findability: {
      nameBirthDate: share(q?.findable.nameBirthDate ?? 0, persons),
      postcodeHouseNumber: share(q?.findable.postcodeHouseNumber ?? 0, accepted),
      phone: share(q?.findable.phone ?? 0, accepted),
    },
    duplicatePolicyNumbers: q?.duplicatePolicyNumbers ?? 0,
    unknownProducts: q?.unknownProducts ?? { rows: 0, codes: [] },
    unknownModules: q?.unknownModules ?? { rows: 0, codes: [] },
    sharedCustomers: q?.sharedCustomers ?? 0,
    ended: q?.ended ?? 0,
    ...(d.fileInfo
      ? { skippedOtherBranches: d.fileInfo.skippedOtherBranches, unknownLabels: d.fileInfo.unknownLabels }
      : {}),
  };
}

/** The months `yyyy-mm` ending with the month of `now`, oldest first, with their bounds as ISO instants. */
export function lastMonths(now: Date, months: number): Array<{ month: string; from: string; to: string }> {
  const out: Array<{ month: string; from: string; to: string }> = [];
  for (let i = months - 1; i >= 0; i--) {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) - 1);
    out.push({ month: start.toISOString().slice(0, 7), from: start.toISOString(), to: end.toISOString() });
  }
  return out;
}

/** Counts one month's uses of a partner's data in its audit records (ok answers only). */
export function countUsage(
  records: readonly AuditRecord[],
  customers: ReadonlySet<string>,
): {
  lookups: number;
  assessments: number;
} {
  let lookups = 0;
  let assessments = 0;
  for (const r of records) {
    if (r.outcome !== "ok" || !r.customerIds.some((id) => customers.has(id))) continue;
    if (r.endpoint === ASSESSMENTS) assessments++;
    else if (LOOKUPS.has(r.endpoint)) lookups++;
  }
  return { lookups, assessments };
}

/** Builds the report from the partner's deliveries (any order) and its usage per month. */
export function partnerQualityReport(
  partner: Partner,
  deliveries: readonly Delivery[],
  usage: UsageMonth[],
  now: Date,
): PartnerQualityReport {
  const measured = deliveries
    .filter((d) => d.quality && (d.status === "completed" || d.status === "held") && !d.duplicateOf)
    .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
  const figures = measured.map(deliveryFigures);
  const fulls = measured.filter((d) => d.kind === "full" && d.status === "completed");
  const lastFull = fulls.at(-1);
  const daysSinceLastFull = lastFull
    ? Math.floor((now.getTime() - new Date(lastFull.receivedAt).getTime()) / DAY)
    : null;
  const latest = figures.at(-1);
  const current = latest ? { ...latest, daysSinceLastFull } : null;
  const { next, checks } = PHASE_CHECKS[partner.phase];
  const value = (figure: CurrentFigure): number | null => {
    if (!current) return null;
    switch (figure) {
      case "rejectedShare":
        return current.rejectedShare;
      case "birthDate":
      case "postcode":
      case "houseNumber":
      case "phone":
      case "email":
        return current.completeness[figure];
      case "findableNameBirthDate":
        return current.findability.nameBirthDate;
      case "findablePostcodeHouseNumber":
        return current.findability.postcodeHouseNumber;
      case "findablePhone":
        return current.findability.phone;
      case "duplicatePolicyNumbers":
        return current.duplicatePolicyNumbers;
      case "unknownProductShare":
        return share(current.unknownProducts.rows, current.accepted);
      case "unknownModuleShare":
        return share(current.unknownModules.rows, current.accepted);
      case "daysSinceLastFull":
        return current.daysSinceLastFull;
    }
  };
  const results = checks.map((c): CheckResult => {
    const v = value(c.figure);
    const passed = v !== null && (c.op === "min" ? v >= c.bound : v <= c.bound);
    return { code: c.code, label: c.label, value: v, op: c.op, bound: c.bound, passed };
  });
  const failing = results.filter((r) => !r.passed).map((r) => r.code);
  return {
    partner: { id: partner.id, name: partner.name, type: partner.type, phase: partner.phase },
    generatedAt: now.toISOString(),
    lastFullDelivery: lastFull ? { id: lastFull.id, receivedAt: lastFull.receivedAt } : null,
    daysSinceLastFull,
    current,
    deliveries: [...figures].reverse(),
    trend: figures.map((f) => ({
      receivedAt: f.receivedAt,
      deliveryId: f.id,
      rejectedShare: f.rejectedShare,
      birthDate: f.completeness.birthDate,
      phone: f.completeness.phone,
      email: f.completeness.email,
      postcode: f.completeness.postcode,
      findableNameBirthDate: f.findability.nameBirthDate,
      findablePostcodeHouseNumber: f.findability.postcodeHouseNumber,
    })),
    usage,
    checks: {
      phase: partner.phase,
      nextPhase: next,
      mayMoveOn: next !== null && current !== null && failing.length === 0,
      results,
      failing,
    },
  };
}

import { AppError } from "../domain/errors.ts";
import type { Store } from "../store/store.ts";
import {
  countUsage,
  lastMonths,
  type PartnerQualityReport,
  partnerQualityReport,
} from "./partner-quality.ts";

/** Audit records read per month for the usage figures; a busier month is marked truncated. */
const AUDIT_PER_MONTH = 200_000;

/** Options of a quality report: how many months of usage, and the clock. */
export interface QualityOptions {
  months?: number;
  now?: Date;
}

/**
 * The data-quality report of one partner (`GET /v1/partners/{id}/quality`, `npm run cli -- quality`):
 * its deliveries' figures, their trend, how its customers were used per month, and the checks of its
 * onboarding phase. NOT_FOUND for an unregistered partner.
 */
export async function partnerQuality(
  store: Store,
  partnerId: string,
  options: QualityOptions = {},
): Promise<PartnerQualityReport> {
  const now = options.now ?? new Date();
  const partner = await store.partners.get(partnerId);
  if (!partner) throw new AppError("NOT_FOUND", `partner ${partnerId} is not registered`);
  const deliveries = await store.listDeliveries({ partner: partnerId });
  const customers = new Set(await store.partners.customerIdsOf(partnerId));
  const usage = [];
  for (const { month, from, to } of lastMonths(now, options.months ?? 6)) {
    const records = customers.size > 0 ? await store.queryAudit({ from, to, limit: AUDIT_PER_MONTH }) : [];
    usage.push({ month, ...countUsage(records, customers), truncated: records.length >= AUDIT_PER_MONTH });
  }
  return partnerQualityReport(partner, deliveries, usage, now);
}

import { z } from "zod";
import { AuditRecord, Customer, Delivery, Policy } from "../domain/model.ts";
import type { Store } from "../store/store.ts";

/** A delivery that carried the person: who sent it, when, how, and the stored file it came in. */
export const SubjectDelivery = Delivery.pick({
  partner: true,
  receivedAt: true,
  channel: true,
  kind: true,
  format: true,
  status: true,
}).extend({
  deliveryId: z.string(),
  /** The stored delivered file's id (the delivery's id). */
  fileId: z.string(),
});

/** A lookup that returned the person: when, who (role and subject), which fields — never the values. */
export const SubjectLookup = AuditRecord.pick({
  at: true,
  subject: true,
  roles: true,
  endpoint: true,
  fields: true,
  outcome: true,
});

/** Everything held about one person (AVG art. 15), as `POST /v1/privacy/subject-report` answers it. */
export const SubjectReport = z.object({
  customerId: z.string(),
  generatedAt: z.string(),
  /** The customer record as stored, identity keys and lineage included. */
  customer: Customer,
  /** Every policy they hold, with its history (versions), from every partner. */
  policies: z.array(Policy),
  deliveries: z.array(SubjectDelivery),
  lookups: z.array(SubjectLookup),
  /** More lookups exist than the report lists (it lists the newest LOOKUPS_MAX). */
  lookupsTruncated: z.boolean(),
});
export type SubjectReport = z.infer<typeof SubjectReport>;

/** Lookups a report lists at most, newest first. */
export const LOOKUPS_MAX = 50_000;
const PAGE = 1_000;

/** Builds the subject report of a customer, or null when the store has no such customer. */
export async function subjectReport(
  store: Store,
  customerId: string,
  now: () => Date = () => new Date(),
): Promise<SubjectReport | null> {
  const customer = await store.getCustomer(customerId);
  if (!customer) return null;
  const policies = await store.policiesOfCustomers([customerId]);
  const ids = [
    ...new Set([
      ...customer.deliveryIds,
      ...policies.flatMap((p) => [...p.deliveryIds, ...p.versions.flatMap((v) => v.deliveryIds)]),
    ]),
  ];
  const deliveries: SubjectReport["deliveries"] = [];
  for (const id of ids) {
    const d = await store.getDelivery(id);
    if (!d) continue;
    const { partner, receivedAt, channel, kind, format, status } = d;
    deliveries.push({ deliveryId: d.id, fileId: d.id, partner, receivedAt, channel, kind, format, status });
  }
  deliveries.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
  const { lookups, truncated } = await lookupsOf(store, customerId);
  return {
    customerId,
    generatedAt: now().toISOString(),
    customer,
    policies,
    deliveries,
    lookups,
    lookupsTruncated: truncated,
  };
}

/** The audit records naming the customer, newest first, paged by time (records of one instant kept whole). */
async function lookupsOf(store: Store, customerId: string) {
  const seen = new Set<string>();
  const lookups: SubjectReport["lookups"] = [];
  let to: string | undefined;
  for (;;) {
    const page = await store.queryAudit({ customerId, limit: PAGE, ...(to ? { to } : {}) });
    let added = 0;
    for (const r of page) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      added++;
      if (lookups.length === LOOKUPS_MAX) return { lookups, truncated: true };
      const { at, subject, roles, endpoint, fields, outcome } = r;
      lookups.push({ at, subject, roles, endpoint, fields, outcome });
    }
    if (page.length < PAGE || added === 0) return { lookups, truncated: false };
    to = page.at(-1)!.at;
  }
}

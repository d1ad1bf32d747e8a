import {
  customerFromSources,
  lineageEndingWith,
  type Statement,
  sourcesOf,
  withStatement,
} from "../domain/customer-sources.ts";
import { matchKeys, partiesConflict, partnerRefsConflict } from "../domain/identity.ts";
import type { CanonicalRow, Customer, Delivery, IsoDate, Policy } from "../domain/model.ts";
import { amsterdamDate, applyRow } from "../domain/policy-history.ts";
import { uuid7 } from "../domain/uuid7.ts";
import type { CustomerRecord } from "../indexer/indexer.ts";
import { projectionMayDiffer } from "../mappings/customer-doc.ts";
import type { PolicyKey, Store } from "../store/store.ts";
import { TimeSlice } from "../time-slice.ts";

/**
 * Values by (partner, policy number), a map per partner: keyed by the two strings as delivered, not
 * by a string made of both, which was built and hashed anew for every look-up (~4 per row).
 */
class ByPolicy<T> {
  private readonly partners = new Map<string, Map<string, T>>();
  get(partner: string, policyNumber: string): T | undefined {
    return this.partners.get(partner)?.get(policyNumber);
  }
  set(partner: string, policyNumber: string, value: T): void {
    const numbers = this.partners.get(partner);
    if (numbers) numbers.set(policyNumber, value);
    else this.partners.set(partner, new Map([[policyNumber, value]]));
  }
  *values(): Generator<T> {
    for (const numbers of this.partners.values()) yield* numbers.values();
  }
}

/**
 * Folds one row into a customer: the row is what its partner says now (domain/customer-sources), and
 * what answers show is derived from every partner's source; identity keys only ever grow.
 */
export function mergeCustomer(
  existing: Customer | undefined,
  customerId: string,
  row: CanonicalRow,
  delivery: Pick<Delivery, "id" | "receivedAt"> & Partial<Pick<Delivery, "channel">>,
  keys: readonly string[] = matchKeys(row),
): Customer {
  const refs = existing ? [...existing.partnerRefs] : [];
  if (!refs.some((r) => r.partner === row.partner && r.partnerCustomerNumber === row.partnerCustomerNumber))
    refs.push({ partner: row.partner, partnerCustomerNumber: row.partnerCustomerNumber });
  const heldKeys = existing ? [...new Set([...existing.matchKeys, ...keys])] : [...new Set(keys)];
  const phone = delivery.channel === "phone";
  // Most rows: a new customer, or one whose only source is this partner's files, replaced by its
  // newer delivery. Both are the row's data with one lineage, written without a sources list.
  if (
    !phone &&
    (!existing ||
      (!existing.sources &&
        delivery.receivedAt >= existing.updatedAt &&
        existing.partnerRefs.every((r) => r.partner === row.partner)))
  ) {
    const lineage = existing ? lineageEndingWith(existing.deliveryIds, delivery.id) : [delivery.id];
    const { party, address, phones, email } = row;
    // One literal each, `email` only when there is one: deleting the property afterwards turned every
    // such customer into a dictionary object, which JSON.stringify walks ~40 % slower (microbenchmark,
    // 2026-12-01), and the store serialises every customer it writes.
    return email === undefined
      ? {
          customerId,
          party,
          address,
          phones,
          partnerRefs: refs,
          matchKeys: heldKeys,
          deliveryIds: lineage,
          updatedAt: delivery.receivedAt,
        }
      : {
          customerId,
          party,
          address,
          phones,
          email,
          partnerRefs: refs,
          matchKeys: heldKeys,
          deliveryIds: lineage,
          updatedAt: delivery.receivedAt,
        };
  }
  const statement: Statement = {
    partner: row.partner,
    deliveryId: delivery.id,
    receivedAt: delivery.receivedAt,
    party: row.party,
    address: row.address,
    phones: row.phones,
    ...(phone ? { channel: "phone" as const } : {}),
    ...(row.email === undefined ? {} : { email: row.email }),
  };
  return customerFromSources(
    { customerId, partnerRefs: refs, matchKeys: heldKeys },
    withStatement(existing ? sourcesOf(existing) : [], statement),
  );
}

/** What one written batch changed: customers as stored with all their policies, and other customers touched. */
export interface BatchWritten {
  /**
   * Every customer the batch wrote whose search document may have changed (see projectionMayDiffer),
   * with every policy they hold (all partners), as now stored. Customers it only confirmed are not here.
   */
  records: CustomerRecord[];
  /** Customers the batch changed without holding them in memory (a policy's former holder). */
  others: string[];
  /** Customers of the batch who are also another partner's customer (for the partner quality report). */
  shared: string[];
}

/**
 * Writes one batch of accepted rows (with their identity keys when already known): resolves each row's customer (batched key lookups, identity
 * veto), merges customers, applies policy history, and stores both. Returns what it wrote, so the
 * indexer need not read it back. Running the same batch again gives the same end state.
 */
export async function writeBatch(
  store: Store,
  delivery: Pick<Delivery, "id" | "receivedAt" | "partner"> &
    Partial<Pick<Delivery, "channel" | "submittedBy">>,
  deliveryDate: IsoDate,
  rows: readonly CanonicalRow[],
  keys?: ReadonlyArray<readonly string[] | undefined>,
): Promise<BatchWritten> {
  const rowKeys = rows.map((r, i) => keys?.[i] ?? matchKeys(r));
  // The store looks each key up once, however often the batch lists it.
  const found = await store.findCustomersByMatchKeys(rowKeys.flat());
  const known = found.customerIds;
  // As stored before this batch (the store's key bookkeeping starts from it), and as merged.
  const stored = new Map<string, Customer>();
  for (const c of found.customers) stored.set(c.customerId, c);
  const customers = new Map(stored);
  const knownIds = [...new Set(known.values())];
  const policies = new ByPolicy<Policy>();
  // Known customers' other policies (other partners, other batches) complete the records handed on;
  // of the batch's own policies, only those no known customer holds are read besides.
  for (const p of await store.policiesOfCustomers(knownIds)) policies.set(p.partner, p.policyNumber, p);
  const unread = new ByPolicy<PolicyKey>();
  for (const r of rows) {
    if (!policies.get(r.partner, r.policyNumber))
      unread.set(r.partner, r.policyNumber, { partner: r.partner, policyNumber: r.policyNumber });
  }
  for (const p of await store.getPolicies([...unread.values()])) policies.set(p.partner, p.policyNumber, p);
  // The policies each customer held before this batch: what their search document was made of.
  const heldBefore = groupByHolder(policies.values());

  // A policy passed on by phone is marked on the versions it writes: every search reads it there.
  const givenByPhone =
    delivery.channel === "phone"
      ? { by: delivery.submittedBy ?? "unknown", at: delivery.receivedAt, deliveryId: delivery.id }
      : undefined;
  const batchKeys = new Map<string, string>();
  // Former holders of the batch's policies: changed too, though not held here.
  const formerHolders = new Set<string>();
  const changedCustomers = new Set<string>();
  const changedPolicies = new ByPolicy<Policy>();
  // Hands the event loop back every few milliseconds: the HTTP thread keeps answering meanwhile.
  const slice = new TimeSlice();
  for (let i = 0; i < rows.length; i++) {
    if (slice.due()) await slice.next();
    const row = rows[i]!;
    const keys = rowKeys[i]!;
    let customerId: string | undefined;
    for (const key of keys) {
      const candidate = batchKeys.get(key) ?? known.get(key);
      if (!candidate) continue;
      const c = customers.get(candidate);
      // The partner's own customer number is trusted; every other key must survive the veto.
      if (
        key.startsWith("R|") ||
        !c ||
        !(partiesConflict(c.party, row.party) || partnerRefsConflict(c, row))
      ) {
        customerId = candidate;
        break;
      }
    }
    // Time-ordered ids: one delivery's customers sort together, so stores append to their indexes.
    customerId ??= uuid7();
    // A key already held by someone else (a twin the veto kept apart) stays theirs: taking it over
    // would send their next delivery to this customer.
    const own = keys.filter((k) => (batchKeys.get(k) ?? known.get(k) ?? customerId) === customerId);
    customers.set(customerId, mergeCustomer(customers.get(customerId), customerId, row, delivery, own));
    for (const key of own) batchKeys.set(key, customerId);
    changedCustomers.add(customerId);

    const before = policies.get(row.partner, row.policyNumber) ?? null;
    if (before && before.customerId !== customerId) formerHolders.add(before.customerId);
    const after = applyRow(before, {
      partner: row.partner,
      policyNumber: row.policyNumber,
      customerId,
      terms: row.policy,
      effectiveDate: row.effectiveDate,
      deliveryId: delivery.id,
      deliveryDate,
      givenByPhone,
    });
    policies.set(row.partner, row.policyNumber, after);
    changedPolicies.set(row.partner, row.policyNumber, after);
  }
  // Customers first: a policy is never stored pointing at a customer that does not exist.
  await store.putCustomers(
    [...changedCustomers].map((id) => customers.get(id)!),
    stored,
  );
  await store.putPolicies([...changedPolicies.values()]);
  const held = groupByHolder(policies.values(), changedCustomers);
  // A customer a delivery only confirms (the same data again: most of a monthly full delivery) keeps
  // the search document it has; only lineage changed, which search does not show. One this delivery
  // already carries was written by an earlier run of it, cut short perhaps before it was indexed: it
  // is indexed again.
  const records: CustomerRecord[] = [];
  // The customers of one earlier delivery share its updatedAt: its date is worked out once (Intl's
  // formatting took ~1.2 s of a 1,000,000-row re-delivery, once a customer).
  let lastUpdate = "";
  let lastDate = "";
  const dateOf = (updatedAt: string) => {
    if (updatedAt !== lastUpdate) {
      lastUpdate = updatedAt;
      lastDate = amsterdamDate(updatedAt);
    }
    return lastDate;
  };
  for (const id of changedCustomers) {
    const customer = customers.get(id)!;
    const before = stored.get(id);
    const record = { customer, policies: held.get(id) ?? [] };
    if (
      !before ||
      before.deliveryIds.includes(delivery.id) ||
      projectionMayDiffer(
        { customer: before, policies: heldBefore.get(id) ?? [] },
        record,
        dateOf(before.updatedAt),
      )
    )
      records.push(record);
  }
  const shared: string[] = [];
  for (const id of changedCustomers)
    if (customers.get(id)!.partnerRefs.some((r) => r.partner !== delivery.partner)) shared.push(id);
  return { records, others: [...formerHolders].filter((id) => !changedCustomers.has(id)), shared };
}

/** Policies by the customer holding them (only those in `of`, when given). */
function groupByHolder(policies: Iterable<Policy>, of?: ReadonlySet<string>): Map<string, Policy[]> {
  const held = new Map<string, Policy[]>();
  for (const p of policies) {
    if (of && !of.has(p.customerId)) continue;
    const list = held.get(p.customerId);
    if (list) list.push(p);
    else held.set(p.customerId, [p]);
  }
  return held;
}

import { matchKeys, partiesConflict, partnerRefsConflict } from "../domain/identity.ts";
import type { CanonicalRow, Customer, Delivery, IsoDate, Policy } from "../domain/model.ts";
import { applyRow } from "../domain/policy-history.ts";
import { uuid7 } from "../domain/uuid7.ts";
import type { CustomerRecord } from "../indexer/indexer.ts";
import type { Store } from "../store/store.ts";
import { TimeSlice } from "../time-slice.ts";

const policyKey = (partner: string, policyNumber: string) => `${partner}\u0000${policyNumber}`;

/**
 * Folds one row into a customer: the newest delivery's data wins for what is shown (name, address,
 * phones, e-mail); identity keys, partner references and lineage only ever grow.
 */
export function mergeCustomer(
  existing: Customer | undefined,
  customerId: string,
  row: CanonicalRow,
  delivery: Pick<Delivery, "id" | "receivedAt">,
  keys: readonly string[] = matchKeys(row),
): Customer {
  const newest = !existing || delivery.receivedAt >= existing.updatedAt;
  const display = newest
    ? { party: row.party, address: row.address, phones: row.phones, email: row.email }
    : {
        party: existing!.party,
        address: existing!.address,
        phones: existing!.phones,
        email: existing!.email,
      };
  const refs = [...(existing?.partnerRefs ?? [])];
  const ref = { partner: row.partner, partnerCustomerNumber: row.partnerCustomerNumber };
  if (!refs.some((r) => r.partner === ref.partner && r.partnerCustomerNumber === ref.partnerCustomerNumber))
    refs.push(ref);
  const allKeys = new Set([...(existing?.matchKeys ?? []), ...keys]);
  const lineage = new Set([...(existing?.deliveryIds ?? []), delivery.id]);
  const customer: Customer = {
    customerId,
    ...display,
    partnerRefs: refs,
    matchKeys: [...allKeys],
    deliveryIds: [...lineage],
    updatedAt: newest ? delivery.receivedAt : existing!.updatedAt,
  };
  if (customer.email === undefined) delete customer.email;
  return customer;
}

/** What one written batch changed: customers as stored with all their policies, and other customers touched. */
export interface BatchWritten {
  /** Every customer the batch wrote, with every policy they hold (all partners), as now stored. */
  records: CustomerRecord[];
  /** Customers the batch changed without holding them in memory (a policy's former holder). */
  others: string[];
}

/**
 * Writes one batch of accepted rows (with their identity keys when already known): resolves each row's customer (batched key lookups, identity
 * veto), merges customers, applies policy history, and stores both. Returns what it wrote, so the
 * indexer need not read it back. Running the same batch again gives the same end state.
 */
export async function writeBatch(
  store: Store,
  delivery: Pick<Delivery, "id" | "receivedAt" | "partner">,
  deliveryDate: IsoDate,
  rows: readonly CanonicalRow[],
  keys?: ReadonlyArray<readonly string[] | undefined>,
): Promise<BatchWritten> {
  const rowKeys = rows.map((r, i) => keys?.[i] ?? matchKeys(r));
  const known = await store.findCustomerIdsByMatchKeys([...new Set(rowKeys.flat())]);
  const customers = new Map<string, Customer>();
  const knownIds = [...new Set(known.values())];
  for (const c of await store.getCustomers(knownIds)) customers.set(c.customerId, c);
  const policies = new Map<string, Policy>();
  // Known customers' other policies (other partners, other batches) complete the records handed on;
  // of the batch's own policies, only those no known customer holds are read besides.
  for (const p of await store.policiesOfCustomers(knownIds))
    policies.set(policyKey(p.partner, p.policyNumber), p);
  const unread = new Map<string, { partner: string; policyNumber: string }>();
  for (const r of rows) {
    const key = policyKey(r.partner, r.policyNumber);
    if (!policies.has(key)) unread.set(key, { partner: r.partner, policyNumber: r.policyNumber });
  }
  for (const p of await store.getPolicies([...unread.values()]))
    policies.set(policyKey(p.partner, p.policyNumber), p);

  const batchKeys = new Map<string, string>();
  const touched = new Set<string>();
  const changedCustomers = new Set<string>();
  const changedPolicies = new Set<string>();
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
    touched.add(customerId);

    const pk = policyKey(row.partner, row.policyNumber);
    const before = policies.get(pk) ?? null;
    if (before && before.customerId !== customerId) touched.add(before.customerId);
    policies.set(
      pk,
      applyRow(before, {
        partner: row.partner,
        policyNumber: row.policyNumber,
        customerId,
        terms: row.policy,
        effectiveDate: row.effectiveDate,
        deliveryId: delivery.id,
        deliveryDate,
      }),
    );
    changedPolicies.add(pk);
  }
  // Customers first: a policy is never stored pointing at a customer that does not exist.
  await store.putCustomers([...changedCustomers].map((id) => customers.get(id)!));
  await store.putPolicies([...changedPolicies].map((k) => policies.get(k)!));
  const held = new Map<string, Policy[]>();
  for (const p of policies.values()) {
    if (!changedCustomers.has(p.customerId)) continue;
    const list = held.get(p.customerId);
    if (list) list.push(p);
    else held.set(p.customerId, [p]);
  }
  return {
    records: [...changedCustomers].map((id) => ({
      customer: customers.get(id)!,
      policies: held.get(id) ?? [],
    })),
    others: [...touched].filter((id) => !changedCustomers.has(id)),
  };
}

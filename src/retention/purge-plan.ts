import type { Policy } from "../domain/model.ts";
import { removeDelivery } from "../domain/policy-history.ts";
import type { PolicyKey, Store } from "../store/store.ts";

/** What a purge would delete now: distinct records, each counted once. */
export interface PurgePlan {
  deliveries: number;
  files: number;
  customersDeleted: number;
  customersUpdated: number;
  policiesDeleted: number;
  policiesUpdated: number;
}

const BATCH = 500;

/**
 * Works out what `purgeExpired` would delete for the deliveries received before `cutoff`, reading
 * only: every expired delivery taken out of each lineage at once, a customer left with none deleted
 * together with every policy they still hold (the dry run of a purge job).
 */
export async function planPurge(store: Store, cutoff: string): Promise<PurgePlan> {
  const expired = await store.listDeliveries({ receivedBefore: cutoff });
  const gone = new Set(expired.map((d) => d.id));
  const keys = new Map<string, PolicyKey>();
  const customerIds = new Set<string>();
  for (const d of expired) {
    for (const k of await store.policyKeysByDelivery(d.id))
      keys.set(`${k.partner}\u0000${k.policyNumber}`, k);
    for (const id of await store.customerIdsByDelivery(d.id)) customerIds.add(id);
  }
  const plan: PurgePlan = {
    deliveries: expired.length,
    files: expired.length,
    customersDeleted: 0,
    customersUpdated: 0,
    policiesDeleted: 0,
    policiesUpdated: 0,
  };
  const deletedPolicies = new Set<string>();
  const all = [...keys.values()];
  for (let i = 0; i < all.length; i += BATCH) {
    for (const p of await store.getPolicies(all.slice(i, i + BATCH))) {
      if (withoutDeliveries(p, gone)) plan.policiesUpdated++;
      else deletedPolicies.add(`${p.partner}\u0000${p.policyNumber}`);
    }
  }
  const deletedCustomers: string[] = [];
  const ids = [...customerIds];
  for (let i = 0; i < ids.length; i += BATCH) {
    for (const c of await store.getCustomers(ids.slice(i, i + BATCH))) {
      if (c.deliveryIds.some((d) => !gone.has(d))) plan.customersUpdated++;
      else deletedCustomers.push(c.customerId);
    }
  }
  plan.customersDeleted = deletedCustomers.length;
  // A deleted customer's policies go along, including those a newer delivery confirmed.
  for (let i = 0; i < deletedCustomers.length; i += BATCH) {
    for (const p of await store.policiesOfCustomers(deletedCustomers.slice(i, i + BATCH))) {
      const key = `${p.partner}\u0000${p.policyNumber}`;
      if (deletedPolicies.has(key)) continue;
      if (keys.has(key)) plan.policiesUpdated--;
      deletedPolicies.add(key);
    }
  }
  plan.policiesDeleted = deletedPolicies.size;
  return plan;
}

/** The policy with every delivery of `gone` taken out, or null when nothing of it is left. */
function withoutDeliveries(policy: Policy, gone: ReadonlySet<string>): Policy | null {
  let p: Policy | null = policy;
  for (const id of policy.deliveryIds) {
    if (!p) break;
    if (gone.has(id)) p = removeDelivery(p, id);
  }
  return p;
}

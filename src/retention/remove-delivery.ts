import { customerFromSources, sourcesOf, withoutDelivery } from "../domain/customer-sources.ts";
import { removeDelivery } from "../domain/policy-history.ts";
import type { Indexer } from "../indexer/indexer.ts";
import type { Store } from "../store/store.ts";

/** What taking one delivery out of the records changed. */
export interface RemovalCounts {
  customersDeleted: number;
  customersUpdated: number;
  policiesDeleted: number;
  policiesUpdated: number;
}

const BATCH = 500;

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Takes one delivery's share out of the system of record and the search index: its id leaves every
 * lineage; a customer's source only it carried goes, with its attributes (domain/customer-sources);
 * policy versions, policies and customers no other delivery carries are deleted (a deleted
 * customer takes their remaining policies along). Used by retention and to undo a failed delivery.
 * Running it again is harmless.
 */
export async function removeDeliveryShare(opts: {
  store: Store;
  indexer: Indexer;
  deliveryId: string;
  /** Told the ids of the customers deleted (for the erasure receipt's checks). */
  onCustomersDeleted?: (ids: readonly string[]) => void;
}): Promise<RemovalCounts> {
  const { store, indexer, deliveryId } = opts;
  const counts: RemovalCounts = {
    customersDeleted: 0,
    customersUpdated: 0,
    policiesDeleted: 0,
    policiesUpdated: 0,
  };
  const touched = new Set<string>();
  const deleted = new Set<string>();

  for (const keys of chunks(await store.policyKeysByDelivery(deliveryId), BATCH)) {
    const policies = await store.getPolicies(keys);
    const gone = [];
    const kept = [];
    for (const p of policies) {
      touched.add(p.customerId);
      const after = removeDelivery(p, deliveryId);
      if (after) kept.push(after);
      else gone.push({ partner: p.partner, policyNumber: p.policyNumber });
    }
    await store.putPolicies(kept);
    await store.deletePolicies(gone);
    counts.policiesUpdated += kept.length;
    counts.policiesDeleted += gone.length;
  }

  for (const ids of chunks(await store.customerIdsByDelivery(deliveryId), BATCH)) {
    const customers = await store.getCustomers(ids);
    const kept = [];
    for (const c of customers) {
      // What the delivery carried goes with it; what other deliveries and partners said stays.
      const sources = withoutDelivery(sourcesOf(c), deliveryId);
      if (sources.length > 0) kept.push(customerFromSources(c, sources));
      else deleted.add(c.customerId);
    }
    await store.putCustomers(kept);
    for (const c of kept) touched.add(c.customerId);
    counts.customersUpdated += kept.length;
  }

  if (deleted.size > 0) {
    // Policies cannot be shown without their holder; what newer deliveries said of them goes too.
    for (const ids of chunks([...deleted], BATCH)) {
      const orphans = await store.policiesOfCustomers(ids);
      await store.deletePolicies(orphans.map((p) => ({ partner: p.partner, policyNumber: p.policyNumber })));
      counts.policiesDeleted += orphans.length;
      await store.deleteCustomers(ids);
    }
    await indexer.removeCustomers([...deleted]);
    counts.customersDeleted = deleted.size;
    opts.onCustomersDeleted?.([...deleted]);
  }
  const reindex = [...touched].filter((id) => !deleted.has(id));
  for (const ids of chunks(reindex, BATCH)) await indexer.indexCustomers(ids);
  return counts;
}

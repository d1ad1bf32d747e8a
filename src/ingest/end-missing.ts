import type { Delivery, Policy } from "../domain/model.ts";
import { endPolicy, versionAt } from "../domain/policy-history.ts";
import type { Indexer } from "../indexer/indexer.ts";
import type { Store } from "../store/store.ts";

/** Whether a policy runs on `date`: its version then is not cancelled and has not ended. */
export function runningOn(policy: Policy, date: string): boolean {
  const v = versionAt(policy, date);
  return v !== undefined && v.status !== "geroyeerd" && (v.endDate === undefined || v.endDate > date);
}

/**
 * The partner's policies a full delivery lacks (it is the whole portfolio): with `write`, each is ended
 * as of `date` and its customer indexed again; without, only counted. Read and written `batchSize` at
 * a time. Answers how many of them were running (the ones it ends, or would end).
 */
export async function endMissingPolicies(
  deps: { store: Store; indexer: Indexer; batchSize: number },
  delivery: Pick<Delivery, "id" | "partner">,
  date: string,
  seen: ReadonlySet<string>,
  write: boolean,
): Promise<number> {
  const { store, indexer, batchSize } = deps;
  const missing = (await store.policyNumbersOfPartner(delivery.partner)).filter((n) => !seen.has(n));
  let ended = 0;
  for (let i = 0; i < missing.length; i += batchSize) {
    const keys = missing
      .slice(i, i + batchSize)
      .map((policyNumber) => ({ partner: delivery.partner, policyNumber }));
    const policies = await store.getPolicies(keys);
    for (const p of policies) if (runningOn(p, date)) ended++;
    if (!write) continue;
    const changed = policies.map((p) => endPolicy(p, date, delivery.id)).filter((p, j) => p !== policies[j]);
    await store.putPolicies(changed);
    await indexer.indexCustomers([...new Set(changed.map((p) => p.customerId))]);
  }
  return ended;
}

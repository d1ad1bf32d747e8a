import { generatePortfolio, toCsv } from "../../../src/demo/generator.ts";
import type { Customer, Policy } from "../../../src/domain/model.ts";
import type { Store } from "../../../src/store/store.ts";

/** A generated portfolio of one partner as standaard CSV (the same bytes for the same seed). */
export function portfolioCsv(customers: number, seed: number, partner = "VOLMACHT-A"): string {
  return [...toCsv(generatePortfolio({ customers, seed, partners: [partner] }))].join("");
}

/**
 * The store's contents as comparable text, one line per customer with their policies: everything
 * a run decides, without what differs between two runs of the same file (customer and delivery ids,
 * the receipt time).
 */
export async function endState(store: Store): Promise<string[]> {
  const customers: Customer[] = [];
  for await (const batch of store.iterateCustomers(1000)) customers.push(...batch);
  const policies = await store.policiesOfCustomers(customers.map((c) => c.customerId));
  const held = new Map<string, Policy[]>();
  for (const p of policies) held.set(p.customerId, [...(held.get(p.customerId) ?? []), p]);
  return customers
    .map((c) => {
      const { customerId, deliveryIds, updatedAt, ...rest } = c;
      const own = (held.get(customerId) ?? [])
        .map((p) =>
          JSON.stringify({
            partner: p.partner,
            policyNumber: p.policyNumber,
            versions: p.versions.map(({ deliveryIds: d, ...v }) => ({ ...v, deliveries: d.length })),
          }),
        )
        .sort();
      return JSON.stringify({
        ...rest,
        matchKeys: [...rest.matchKeys].sort(),
        deliveries: deliveryIds.length,
        policies: own,
      });
    })
    .sort();
}

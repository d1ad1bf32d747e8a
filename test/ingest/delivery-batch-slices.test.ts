import { describe, expect, it } from "vitest";
import type { CanonicalRow, Customer, Policy } from "../../src/domain/model.ts";
import { writeBatch } from "../../src/ingest/delivery-batch.ts";
import type { Store } from "../../src/store/store.ts";
import { steppingSliceClock, turnsDuring } from "../support/event-loop.ts";

const row = (i: number): CanonicalRow => ({
  partner: "VOLMACHT-A",
  policyNumber: `VA${String(i).padStart(7, "0")}`,
  partnerCustomerNumber: `R${i}`,
  party: { kind: "P", initials: "J.", surname: `Berg${i}`, birthDate: "1970-01-01" },
  address: { country: "NL", postcode: "1234 AB", houseNumber: (i % 200) + 1 },
  phones: [],
  policy: {
    product: "RB-PARTICULIER",
    modules: ["CONS"],
    startDate: "2024-01-01",
    status: "actief",
    clauseCodes: [],
    household: false,
  },
});

/** The few store calls writeBatch makes, answered at once: nothing here hands the event loop back. */
function instantStore(): { store: Store; customers: Customer[]; policies: Policy[] } {
  const customers: Customer[] = [];
  const policies: Policy[] = [];
  const store = {
    findCustomersByMatchKeys: async () => ({ customerIds: new Map<string, string>(), customers: [] }),
    policiesOfCustomers: async () => [],
    getPolicies: async () => [],
    putCustomers: async (cs: readonly Customer[]) => void customers.push(...cs),
    putPolicies: async (ps: readonly Policy[]) => void policies.push(...ps),
  } as unknown as Store;
  return { store, customers, policies };
}

describe("writeBatch on the HTTP thread", () => {
  it("hands the event loop back while it resolves a big batch, and still writes every row once", async () => {
    const { store, customers, policies } = instantStore();
    const rows = Array.from({ length: 2_000 }, (_, i) => row(i));
    // Every look at the slice clock finds the slice used up, whatever this machine's speed.
    const restoreClock = steppingSliceClock();
    const { value: written, turns } = await turnsDuring(
      writeBatch(
        store,
        { id: "d1", receivedAt: "2026-12-01T10:00:00.000Z", partner: "VOLMACHT-A" },
        "2026-12-01",
        rows,
      ),
    ).finally(restoreClock);
    expect(turns).toBeGreaterThan(1);
    expect(customers).toHaveLength(2_000);
    expect(policies).toHaveLength(2_000);
    expect(written.records).toHaveLength(2_000);
  });
});

import type { PartnerInput } from "../../src/domain/partner.ts";
import type { Store } from "../../src/store/store.ts";

/** The partners the tests deliver for (the demo partners' codes). */
export const TEST_PARTNERS = ["VOLMACHT-A", "TUSSEN-B", "MULTI-C"] as const;

/** A live partner that signed the supplementary VRA agreement, with overrides. */
export function signedPartner(over: Partial<PartnerInput> = {}): PartnerInput {
  return {
    name: "Testpartner",
    type: "volmacht",
    phase: "live",
    agreementSignedOn: "2020-01-01",
    holdThresholdPercent: 20,
    ...over,
  };
}

/** Registers partners straight in a store (live, agreement signed), so deliveries for them are taken in. */
export async function registerPartners(
  store: Store,
  ids: readonly string[] = TEST_PARTNERS,
  over: Partial<PartnerInput> = {},
): Promise<void> {
  for (const id of ids) {
    const { agreementSignedOn, ...input } = signedPartner({ name: `Partner ${id}`, ...over });
    await store.partners.put({
      ...input,
      id,
      ...(agreementSignedOn ? { agreementSignedOn } : {}),
      registeredAt: "2020-01-01T00:00:00.000Z",
      updatedAt: "2020-01-01T00:00:00.000Z",
    });
  }
}

import { describe, expect, it } from "vitest";
import { deliveryRefusal, flaggedPartner, type Partner, PartnerInput, partnerFromInput } from "./partner.ts";

const registered = (over: Partial<Partner> = {}): Partner => ({
  id: "VOLMACHT-A",
  name: "Volmacht A",
  type: "volmacht",
  phase: "live",
  agreementSignedOn: "2026-01-05",
  holdThresholdPercent: 20,
  registeredAt: "2026-01-05T10:00:00.000Z",
  updatedAt: "2026-01-05T10:00:00.000Z",
  ...over,
});
const { agreementSignedOn: _unsigned, ...unsigned } = registered();

describe("who may deliver", () => {
  it.each([
    ["an unregistered partner", null, "2026-02-01", "PARTNER_UNKNOWN"],
    ["a live partner with a signed agreement", registered(), "2026-02-01", null],
    ["a pilot partner with a signed agreement", registered({ phase: "pilot" }), "2026-02-01", null],
    ["a partner being connected, agreement signed", registered({ phase: "aansluiten" }), "2026-02-01", null],
    ["a partner without an agreement", unsigned, "2026-02-01", "PARTNER_AGREEMENT_MISSING"],
    [
      "a partner whose agreement is signed only later",
      registered(),
      "2026-01-04",
      "PARTNER_AGREEMENT_MISSING",
    ],
    ["on the day it signed", registered(), "2026-01-05", null],
    ["a paused partner", registered({ phase: "gepauzeerd" }), "2026-02-01", "PARTNER_INACTIVE"],
    ["an ended partner", registered({ phase: "beeindigd" }), "2026-02-01", "PARTNER_INACTIVE"],
    ["a partner an upgrade registered, not yet completed", flaggedPartner("OLD-1", "t"), "2026-02-01", null],
    [
      "a paused partner an upgrade registered",
      { ...flaggedPartner("OLD-1", "t"), phase: "gepauzeerd" as const },
      "2026-02-01",
      "PARTNER_INACTIVE",
    ],
  ])("%s: %s", (_what, partner, today, code) => {
    expect(deliveryRefusal("P", partner, today)?.code ?? null).toBe(code);
  });
});

describe("an admin's record", () => {
  it("defaults the hold threshold to 20 % and refuses unknown fields", () => {
    expect(PartnerInput.parse({ name: "A", type: "volmacht", phase: "pilot" }).holdThresholdPercent).toBe(20);
    expect(
      PartnerInput.safeParse({ name: "A", type: "volmacht", phase: "pilot", color: "red" }).success,
    ).toBe(false);
    expect(PartnerInput.safeParse({ name: "A", type: "makelaar", phase: "pilot" }).success).toBe(false);
  });
  it("keeps the first registration time and clears an upgrade's review flag", () => {
    const old = flaggedPartner("OLD-1", "2026-01-01T00:00:00.000Z");
    const input = PartnerInput.parse({
      name: "Oud",
      type: "intermediair",
      phase: "live",
      agreementSignedOn: "2025-12-01",
    });
    const next = partnerFromInput("OLD-1", input, "2026-02-01T00:00:00.000Z", "admin-1", old);
    expect(next).toMatchObject({ registeredAt: "2026-01-01T00:00:00.000Z", agreementSignedOn: "2025-12-01" });
    expect(next.review).toBeUndefined();
    // Clearing the agreement date (null) leaves none.
    const cleared = partnerFromInput("OLD-1", { ...input, agreementSignedOn: null }, "t", undefined, next);
    expect(cleared.agreementSignedOn).toBeUndefined();
  });
});

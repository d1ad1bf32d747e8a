import { describe, expect, it } from "vitest";
import type { AuditRecord, Delivery } from "../domain/model.ts";
import type { Partner } from "../domain/partner.ts";
import { countUsage, lastMonths, partnerQualityReport } from "./partner-quality.ts";

const partner = (phase: Partner["phase"]): Partner => ({
  id: "P",
  name: "P",
  type: "volmacht",
  phase,
  holdThresholdPercent: 20,
  registeredAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});

/** A completed full delivery of 100 rows, all persons, with the given counts. */
const delivery = (
  receivedAt: string,
  over: { rejected?: number; birthDate?: number; duplicates?: number } = {},
) =>
  ({
    id: `d-${receivedAt}`,
    partner: "P",
    kind: "full",
    format: "csv",
    profile: "standaard",
    channel: "upload",
    receivedAt,
    sha256: "x",
    size: 1,
    status: "completed",
    counts: { rows: 100, accepted: 100 - (over.rejected ?? 0), rejected: over.rejected ?? 0 },
    errors: [],
    quality: {
      accepted: 100 - (over.rejected ?? 0),
      persons: 100 - (over.rejected ?? 0),
      completeness: {
        birthDate: over.birthDate ?? 100,
        phone: 100,
        email: 50,
        postcode: 100,
        houseNumber: 100,
      },
      findable: { nameBirthDate: over.birthDate ?? 100, postcodeHouseNumber: 100, phone: 100 },
      rejectedByField: (over.rejected ? { postcode: over.rejected } : {}) as Record<string, number>,
      duplicatePolicyNumbers: over.duplicates ?? 0,
      unknownProducts: { rows: 0, codes: [] },
      unknownModules: { rows: 0, codes: [] },
      sharedCustomers: 3,
      ended: 0,
    },
  }) satisfies Delivery;

const NOW = new Date("2026-06-15T12:00:00.000Z");

describe("a partner's checks per phase", () => {
  it.each([
    ["clean data, recent full delivery", "pilot", [delivery("2026-06-01T00:00:00.000Z")], true, []],
    [
      "the latest delivery counts, not an older good one",
      "aansluiten",
      [delivery("2026-05-01T00:00:00.000Z"), delivery("2026-06-10T00:00:00.000Z", { rejected: 10 })],
      false,
      ["REJECTED_ROWS"],
    ],
    [
      "4 % rejected passes the pilot's 5 %",
      "pilot",
      [delivery("2026-06-10T00:00:00.000Z", { rejected: 4 })],
      true,
      [],
    ],
    [
      "4 % rejected fails going live's 2 %",
      "aansluiten",
      [delivery("2026-06-10T00:00:00.000Z", { rejected: 4 })],
      false,
      ["REJECTED_ROWS"],
    ],
    [
      "birth dates missing and a duplicate",
      "live",
      [delivery("2026-06-10T00:00:00.000Z", { birthDate: 70, duplicates: 1 })],
      false,
      ["BIRTH_DATE", "FINDABLE_NAME_BIRTH_DATE", "DUPLICATES"],
    ],
    [
      "the last full delivery 46 days ago",
      "pilot",
      [delivery("2026-04-30T00:00:00.000Z")],
      false,
      ["FULL_DELIVERY_RECENT"],
    ],
    ["no delivery yet: nothing passes", "pilot", [], false, "all"],
  ] as const)("%s", (_what, phase, deliveries, mayMoveOn, failing) => {
    const r = partnerQualityReport(partner(phase), [...deliveries], [], NOW);
    expect(r.checks.mayMoveOn).toBe(mayMoveOn);
    if (failing === "all") expect(r.checks.failing).toEqual(r.checks.results.map((c) => c.code));
    else expect(r.checks.failing).toEqual(failing);
  });

  it("answers the trend oldest first and the deliveries newest first", () => {
    const r = partnerQualityReport(
      partner("live"),
      [delivery("2026-06-10T00:00:00.000Z", { birthDate: 80 }), delivery("2026-05-10T00:00:00.000Z")],
      [],
      NOW,
    );
    expect(r.trend.map((t) => t.birthDate)).toEqual([1, 0.8]);
    expect(r.deliveries.map((d) => d.receivedAt.slice(0, 10))).toEqual(["2026-06-10", "2026-05-10"]);
    expect(r.daysSinceLastFull).toBe(5);
  });
});

describe("usage from the audit log", () => {
  const rec = (
    endpoint: string,
    customerIds: string[],
    outcome: AuditRecord["outcome"] = "ok",
  ): AuditRecord => ({
    id: "a",
    at: "2026-06-01T00:00:00.000Z",
    subject: "anna",
    roles: ["agent"],
    endpoint,
    fields: [],
    customerIds,
    outcome,
    status: 200,
  });
  it("counts ok lookups and assessments naming one of the partner's customers", () => {
    const mine = new Set(["c1", "c2"]);
    expect(
      countUsage(
        [
          rec("POST /v1/search", ["c9", "c1"]),
          rec("POST /v1/callers", ["c2"]),
          rec("GET /v1/customers/:customerId", ["c9"]),
          rec("POST /v1/coverage/assessments", ["c1"]),
          rec("POST /v1/search", ["c1"], "denied"),
          rec("GET /v1/audit", ["c1"]),
        ],
        mine,
      ),
    ).toEqual({ lookups: 2, assessments: 1 });
  });
  it("spans whole calendar months, oldest first", () => {
    expect(lastMonths(new Date("2026-01-20T00:00:00.000Z"), 3)).toEqual([
      { month: "2025-11", from: "2025-11-01T00:00:00.000Z", to: "2025-11-30T23:59:59.999Z" },
      { month: "2025-12", from: "2025-12-01T00:00:00.000Z", to: "2025-12-31T23:59:59.999Z" },
      { month: "2026-01", from: "2026-01-01T00:00:00.000Z", to: "2026-01-31T23:59:59.999Z" },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { DEMO_MARK, DEMO_SHOWCASE, demoDeliveries } from "../../src/demo/demo-portfolio.ts";
import { DEMO_PARTNERS } from "../../src/demo/generator.ts";
import { accepted, readAll } from "./support.ts";

describe("demo portfolio", () => {
  const deliveries = demoDeliveries();

  it("has one delivery per demo partner, the same on every call", () => {
    expect(deliveries.map((d) => d.partner)).toEqual([...DEMO_PARTNERS]);
    expect(demoDeliveries()).toEqual(deliveries);
  });

  it("is accepted row for row, and every policy and relatienummer is marked DEMO-", async () => {
    let total = 0;
    for (const { partner, csv } of deliveries) {
      const rows = (await readAll(csv, { partner })).map(accepted);
      total += rows.length;
      for (const row of rows) {
        expect(row.policyNumber.startsWith(DEMO_MARK)).toBe(true);
        expect(row.partnerCustomerNumber?.startsWith(DEMO_MARK)).toBe(true);
        if (row.email) expect(row.email).toMatch(/demo\.example$/);
      }
    }
    expect(total).toBeGreaterThanOrEqual(300);
  });

  it("holds the showcase customers: running, ended, waiting period, CL-BOUW, two partners, company", async () => {
    const rows = new Map<string, ReturnType<typeof accepted>>();
    for (const { partner, csv } of deliveries) {
      for (const r of await readAll(csv, { partner })) rows.set(accepted(r).policyNumber, accepted(r));
    }
    const show = (n: number) => rows.get(DEMO_SHOWCASE[n]!.columns.polisnummer!)!;
    expect(show(0).policy.status).toBe("actief");
    expect(show(0).policy.endDate).toBeUndefined();
    expect(show(1).policy).toMatchObject({ status: "geroyeerd", endDate: "2025-06-30" });
    expect(show(2).policy).toMatchObject({ startDate: "2026-10-01", modules: ["CONS", "ARB", "FAM"] });
    expect(show(3).policy.clauseCodes).toEqual(["CL-BOUW"]);
    const [a, b] = [show(4), show(5)];
    expect(a.partner).not.toBe(b.partner);
    expect([a.party.tussenvoegsel, a.party.surname, a.party.birthDate, a.address.postcode]).toEqual([
      b.party.tussenvoegsel,
      b.party.surname,
      b.party.birthDate,
      b.address.postcode,
    ]);
    expect(show(6).party).toMatchObject({ kind: "Z", kvk: "12345678" });
    expect(show(6).policy.clauseCodes).toEqual(["CL-INCASSO"]);
  });
});

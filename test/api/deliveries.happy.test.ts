import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPortfolio, PORTFOLIO_A } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

type DeliveryView = {
  id: string;
  partner: string;
  status: string;
  counts: { rows: number; accepted: number; rejected: number };
  sha256: string;
  duplicateOf?: string;
};

describe("deliveries", () => {
  it("an ingest upload is 202 {id, status}; GET shows it completed with counts", async () => {
    const { deliveryId } = await loadPortfolio(h);
    const token = await h.token("ingest", { sub: "uploader-a", partner: "VOLMACHT-A" });
    const res = await h.call("GET", `/v1/deliveries/${deliveryId}`, { token });
    expect(res.status).toBe(200);
    const d = (await res.json()) as DeliveryView;
    expect(d).toMatchObject({ id: deliveryId, partner: "VOLMACHT-A", status: "completed" });
    expect(d.counts).toEqual({ rows: 3, accepted: 3, rejected: 0 });
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the same file again is recognised as a duplicate", async () => {
    const token = await h.token("ingest", { sub: "uploader-a", partner: "VOLMACHT-A" });
    const res = await h.call("POST", "/v1/deliveries?partner=VOLMACHT-A&kind=full", {
      token,
      body: PORTFOLIO_A,
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await h.system.services.intake.whenSettled(id);
    const d = (await (await h.call("GET", `/v1/deliveries/${id}`, { token })).json()) as DeliveryView;
    expect(d.duplicateOf).toBeDefined();
  });

  it("an admin may deliver for any partner with a backfilled receivedAt and channel", async () => {
    const admin = await h.token("admin", { sub: "ops" });
    const csv = `${PORTFOLIO_A.split("\n")[0]}\nTB-1;R9;K.;Kees;;Bakker;02-02-1970;Plein;1;1111 AA;Delft;;;RB-PARTICULIER;CONS;2024-01-01;RBP-2022`;
    const res = await h.call(
      "POST",
      "/v1/deliveries?partner=TUSSEN-B&kind=mutation&receivedAt=2026-01-15T10:00:00Z&channel=portal",
      { token: admin, body: csv },
    );
    expect(res.status).toBe(202);
    expect(res.headers.get("location")).toMatch(/^\/v1\/deliveries\//);
    const { id } = (await res.json()) as { id: string };
    const settled = await h.system.services.intake.whenSettled(id);
    expect(settled.receivedAt).toBe("2026-01-15T10:00:00.000Z");
    expect(settled.channel).toBe("portal");
  });
});

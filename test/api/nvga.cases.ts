import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CATALOGUE } from "../../src/demo/catalogue.ts";
import { type GeneratedRow, generatePortfolio, toCsv } from "../../src/demo/generator.ts";
import { toNvgaXml } from "../../src/demo/generator-nvga.ts";
import type { Delivery, Policy } from "../../src/domain/model.ts";
import type { Store } from "../../src/store/store.ts";
import { signedPartner } from "../support/partners.ts";
import { type Harness, startHarness } from "./support/harness.ts";

const PARTNER = "VOLMACHT-A";
const MONTH_AGO = new Date(Date.now() - 31 * 86_400_000).toISOString();

/** A harness with the catalogue and VOLMACHT-A registered (live, signed), our POR code N013. */
async function start(newStore?: () => Store): Promise<Harness> {
  const h = await startHarness({ NVGA_POR_CODES: "N013" }, newStore ? { store: newStore() } : {});
  const admin = await h.token("admin", { sub: "admin-1" });
  for (const p of DEMO_CATALOGUE)
    expect((await h.call("PUT", `/v1/products/${p.code}`, { token: admin, json: p })).status).toBe(200);
  expect(
    (
      await h.call("PUT", `/v1/partners/${PARTNER}`, {
        token: admin,
        json: signedPartner({ name: "Volmacht A" }),
      })
    ).status,
  ).toBe(200);
  return h;
}

/** Delivers as the admin (backfill and channel allowed) and waits until it settles. */
async function deliver(
  h: Harness,
  body: string,
  query: string,
): Promise<Delivery & { channel: string; hold?: Delivery["hold"] }> {
  const res = await h.call("POST", `/v1/deliveries?partner=${PARTNER}&${query}`, {
    token: await h.token("admin", { sub: "admin-1" }),
    body,
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await h.system.services.intake.whenSettled(id);
  const view = await h.call("GET", `/v1/deliveries/${id}`, { token: await h.token("admin") });
  return (await view.json()) as Delivery & { channel: string };
}

const text = (lines: Iterable<string>) => [...lines].join("");

/** Top-1 recall of name + birth date + postcode queries for every 7th person of the portfolio. */
async function recallAt1(
  h: Harness,
  rows: readonly GeneratedRow[],
): Promise<{ asked: number; found: number }> {
  const agent = await h.token("agent");
  let asked = 0;
  let found = 0;
  for (const [i, row] of rows.entries()) {
    const p = row.person;
    if (i % 7 !== 0 || p.kind !== "P" || !p.birthDate) continue;
    asked++;
    const name = [p.tussenvoegsel, p.surname].filter(Boolean).join(" ");
    const res = await h.call("POST", "/v1/search", {
      token: agent,
      json: { name, birthDate: p.birthDate, postcode: p.postcode },
    });
    const { results } = (await res.json()) as {
      results: Array<{ policies: Array<{ policyNumber: string }> }>;
    };
    if (results[0]?.policies.some((x) => x.policyNumber === row.columns.polisnummer)) found++;
  }
  return { asked, found };
}

/**
 * The NVGA File Polis through the HTTP API (done-when of issue 21): a generated file is taken in as
 * the same portfolio in CSV is, equally findable; a month-later re-delivery lacking 30 % of the
 * policies is held, rejected (undone) or released (the policies end). `customers`: portfolio size.
 */
export function runNvgaCases(customers: number, newStore?: () => Store): void {
  const rows = [...generatePortfolio({ customers, seed: 2121, partners: [PARTNER] })];
  const csv = text(toCsv(rows));
  const nvga = text(toNvgaXml(rows, { referenceDate: MONTH_AGO.slice(0, 10), porCode: "N013" }));
  let csvHarness: Harness;
  let nvgaHarness: Harness;
  let first: Delivery & { channel: string };
  beforeAll(async () => {
    csvHarness = await start(newStore);
    nvgaHarness = await start(newStore);
  });
  afterAll(async () => {
    await csvHarness?.close();
    await nvgaHarness?.close();
  });

  it("takes in a generated NVGA File Polis as the same portfolio in CSV: same rows, customers and findability", async () => {
    const fromCsv = await deliver(csvHarness, csv, `kind=full&receivedAt=${MONTH_AGO}`);
    first = await deliver(
      nvgaHarness,
      nvga,
      `kind=full&format=nvga-polis&channel=polischeck&receivedAt=${MONTH_AGO}`,
    );
    expect(fromCsv.status).toBe("completed");
    expect(first).toMatchObject({ status: "completed", format: "nvga-polis", channel: "polischeck" });
    expect(first.counts).toEqual(fromCsv.counts);
    expect(first.counts.accepted).toBe(rows.length);
    expect(first.fileInfo).toMatchObject({
      referenceDate: MONTH_AGO.slice(0, 10),
      recipients: ["N013"],
      skippedOtherBranches: 0,
      unknownLabels: {},
    });
    const a = csvHarness.system.services.store;
    const b = nvgaHarness.system.services.store;
    expect(await b.countCustomers()).toBe(await a.countCustomers());
    const csvRecall = await recallAt1(csvHarness, rows);
    const nvgaRecall = await recallAt1(nvgaHarness, rows);
    expect(nvgaRecall.asked).toBeGreaterThan(10);
    expect(nvgaRecall).toEqual(csvRecall);
    expect(nvgaRecall.found / nvgaRecall.asked).toBeGreaterThanOrEqual(0.9);
  });

  describe("a re-delivery a month later lacking 30 % of the policies", () => {
    const kept = rows.filter((_, i) => i % 10 >= 3);
    const lacking = rows.filter((_, i) => i % 10 < 3);
    const truncated = text(
      toNvgaXml(kept, { referenceDate: new Date().toISOString().slice(0, 10), porCode: "N013" }),
    );
    const keys = lacking.map((r) => ({ partner: PARTNER, policyNumber: r.columns.polisnummer }));
    const versionsOf = async (store: Store) =>
      new Map((await store.getPolicies(keys)).map((p: Policy) => [p.policyNumber, p.versions]));

    it("is held with its reason and numbers, ends nothing, and an admin's rejection undoes it whole", async () => {
      const store = nvgaHarness.system.services.store;
      const before = await versionsOf(store);
      const held = await deliver(nvgaHarness, truncated, "kind=full&format=nvga-polis");
      expect(held.status).toBe("held");
      expect(held.hold).toMatchObject({ thresholdPercent: 20 });
      expect(held.hold!.percent).toBeGreaterThan(20);
      expect(held.hold!.wouldEnd).toBeGreaterThan(0);
      expect(held.hold!.wouldEnd).toBeLessThanOrEqual(lacking.length);
      expect(held.hold!.reason).toMatch(/would end \d+ of \d+ running policies/);
      expect(await versionsOf(store)).toEqual(before);

      const agent = await nvgaHarness.token("agent");
      const refused = await nvgaHarness.call("POST", `/v1/deliveries/${held.id}/reject`, { token: agent });
      expect(refused.status).toBe(403);
      const admin = await nvgaHarness.token("admin", { sub: "admin-2" });
      const rejected = await nvgaHarness.call("POST", `/v1/deliveries/${held.id}/reject`, { token: admin });
      expect(rejected.status).toBe(200);
      expect(await rejected.json()).toMatchObject({
        status: "failed",
        hold: { decision: "rejected", decidedBy: "admin-2" },
      });
      expect(await store.policyKeysByDelivery(held.id)).toEqual([]);
      expect(await versionsOf(store)).toEqual(before);
      const again = await nvgaHarness.call("POST", `/v1/deliveries/${held.id}/release`, { token: admin });
      expect(again.status).toBe(409);
    });

    it("once released, ends the policies it lacks as of its date", async () => {
      const store = nvgaHarness.system.services.store;
      const held = await deliver(nvgaHarness, truncated, "kind=full&format=nvga-polis");
      expect(held.status).toBe("held");
      const admin = await nvgaHarness.token("admin", { sub: "admin-3" });
      const released = await nvgaHarness.call("POST", `/v1/deliveries/${held.id}/release`, { token: admin });
      expect(released.status).toBe(200);
      expect(await released.json()).toMatchObject({ status: "completed", hold: { decision: "released" } });
      const ended = (await store.getPolicies(keys)).filter((p) =>
        p.versions.some((v) => v.deliveryIds.includes(held.id) && v.status === "geroyeerd"),
      );
      expect(ended.length).toBe(held.hold!.wouldEnd);
    });
  });
}

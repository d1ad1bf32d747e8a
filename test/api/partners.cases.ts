import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/store.ts";
import { aPolicy } from "../store.contract.ts";
import { signedPartner } from "../support/partners.ts";
import { PORTFOLIO_A } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

const codeOf = async (res: Response) => ((await res.json()) as { code?: string }).code;

/**
 * The partner registry through the HTTP API of the composed service: registration, who may list
 * what, deliveries refused for unknown, unsigned and inactive partners (on the audit record, nothing
 * stored), names beside ids in answers, and the upgrade of a store that held partners before.
 * Runs over the embedded store and MongoDB (FerretDB in CI).
 */
export function runPartnerCases(newStore?: () => Store): void {
  let h: Harness;
  let admin: string;
  const deliver = async (partner: string, body = PORTFOLIO_A) =>
    h.call("POST", `/v1/deliveries?partner=${partner}&kind=full`, {
      token: await h.token("ingest", { sub: `uploader-${partner}`, partner }),
      body,
    });
  const put = (id: string, json: unknown) => h.call("PUT", `/v1/partners/${id}`, { token: admin, json });
  const deliveriesOf = async (partner: string) => h.system.services.store.listDeliveries({ partner });

  beforeAll(async () => {
    h = await startHarness({}, newStore ? { store: newStore() } : {});
    admin = await h.token("admin", { sub: "admin-1" });
  });
  afterAll(async () => {
    await h?.close();
  });

  describe("registry", () => {
    it("registers a partner; an admin reads it whole, an agent lists names only", async () => {
      const res = await put("VOLMACHT-R", {
        ...signedPartner({ name: "Volmacht R", phase: "pilot", holdThresholdPercent: 15 }),
        porCode: "N999",
        contact: { name: "Data team", email: "data@volmacht-r.example" },
        formats: ["nvga-polis"],
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        id: "VOLMACHT-R",
        name: "Volmacht R",
        holdThresholdPercent: 15,
      });
      const one = await h.call("GET", "/v1/partners/VOLMACHT-R", { token: admin });
      expect(await one.json()).toMatchObject({
        agreementSignedOn: "2020-01-01",
        porCode: "N999",
        updatedBy: "admin-1",
        contact: { email: "data@volmacht-r.example" },
      });
      const listed = (await (
        await h.call("GET", "/v1/partners", { token: await h.token("agent") })
      ).json()) as Array<Record<string, unknown>>;
      const r = listed.find((p) => p.id === "VOLMACHT-R");
      expect(r).toEqual({ id: "VOLMACHT-R", name: "Volmacht R", type: "volmacht" });
    });
    it("refuses a bad record, an unknown partner and callers without the role", async () => {
      const bad = await put("VOLMACHT-R", { name: "X", type: "makelaar", phase: "pilot" });
      expect(bad.status).toBe(400);
      expect(await codeOf(bad)).toBe("VALIDATION_FAILED");
      expect((await h.call("GET", "/v1/partners/NOBODY", { token: admin })).status).toBe(404);
      const agent = await h.token("agent");
      expect((await h.call("GET", "/v1/partners/VOLMACHT-R", { token: agent })).status).toBe(403);
      expect((await h.call("PUT", "/v1/partners/X", { token: agent, json: signedPartner() })).status).toBe(
        403,
      );
      const ingest = await h.token("ingest", { partner: "VOLMACHT-R" });
      expect((await h.call("GET", "/v1/partners", { token: ingest })).status).toBe(403);
    });
  });

  describe("deliveries of partners that may not deliver", () => {
    it.each([
      ["an unregistered partner", "NOBODY-U", undefined, 422, "PARTNER_UNKNOWN"],
      [
        "a partner without an agreement",
        "UNSIGNED-U",
        signedPartner({ agreementSignedOn: null }),
        403,
        "PARTNER_AGREEMENT_MISSING",
      ],
      ["a paused partner", "PAUSED-P", signedPartner({ phase: "gepauzeerd" }), 403, "PARTNER_INACTIVE"],
      ["an ended partner", "ENDED-E", signedPartner({ phase: "beeindigd" }), 403, "PARTNER_INACTIVE"],
    ])("%s is refused, audited, and nothing is stored", async (_what, id, record, status, code) => {
      if (record) expect((await put(id, record)).status).toBe(200);
      const res = await deliver(id);
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(await codeOf(res)).toBe(code);
      expect(await deliveriesOf(id)).toEqual([]);
      const audited = (await h.audit()).find(
        (r) => r.subject === `uploader-${id}` && r.endpoint === "POST /v1/deliveries",
      );
      expect(audited).toMatchObject({ outcome: "denied", status, fields: ["partner"] });
    });
    it("takes a partner's deliveries once its agreement is signed", async () => {
      expect((await put("LATE-L", signedPartner({ agreementSignedOn: null }))).status).toBe(200);
      expect((await deliver("LATE-L")).status).toBe(403);
      expect((await put("LATE-L", signedPartner({ agreementSignedOn: "2026-01-01" }))).status).toBe(200);
      const res = await deliver("LATE-L");
      expect(res.status).toBe(202);
      const settled = await h.system.services.intake.whenSettled(((await res.json()) as { id: string }).id);
      expect(settled.status).toBe("completed");
    });
  });

  describe("names", () => {
    it("shows the partner's name beside its id in search results, caller lookups and the customer detail", async () => {
      expect((await put("VOLMACHT-N", signedPartner({ name: "Volmacht Noord" }))).status).toBe(200);
      const res = await deliver("VOLMACHT-N", PORTFOLIO_A.replaceAll("VA-", "VN-"));
      await h.system.services.intake.whenSettled(((await res.json()) as { id: string }).id);
      const agent = await h.token("agent");
      const search = await h.call("POST", "/v1/search", { token: agent, json: { q: "VN-1001" } });
      const { results } = (await search.json()) as {
        results: Array<{ customerId: string; policies: Array<{ partner: string; partnerName?: string }> }>;
      };
      const policy = results[0]?.policies.find((p) => p.partner === "VOLMACHT-N");
      expect(policy?.partnerName).toBe("Volmacht Noord");
      const callers = await h.call("POST", "/v1/callers", { token: agent, json: { phone: "0201234567" } });
      const called = (await callers.json()) as { results: typeof results };
      expect(called.results.flatMap((r) => r.policies).some((p) => p.partnerName === "Volmacht Noord")).toBe(
        true,
      );
      const detail = await h.call("GET", `/v1/customers/${results[0]!.customerId}`, { token: agent });
      const { policies } = (await detail.json()) as {
        policies: Array<{ partner: string; partnerName?: string }>;
      };
      expect(policies.find((p) => p.partner === "VOLMACHT-N")?.partnerName).toBe("Volmacht Noord");
    });
  });
}

/**
 * An existing store, upgraded: partners it holds data of are registered on start, flagged for an admin
 * to complete, and keep delivering until then.
 */
export function runUpgradeCase(newStore: () => Promise<Store>): void {
  it("registers the partners an existing store holds, flagged; they keep delivering until an admin completes them", async () => {
    const store = await newStore();
    await store.init();
    await store.putPolicies([
      aPolicy({ partner: "OLD-VOLMACHT", policyNumber: "OV-1", customerId: "ov-c1" }),
    ]);
    const h = await startHarness({}, { store });
    try {
      const admin = await h.token("admin");
      const listed = (await (await h.call("GET", "/v1/partners", { token: admin })).json()) as Array<{
        id: string;
        review?: { reason: string };
        agreementSignedOn?: string;
      }>;
      const old = listed.find((p) => p.id === "OLD-VOLMACHT");
      expect(old?.review?.reason).toMatch(/agreement/);
      expect(old?.agreementSignedOn).toBeUndefined();
      const ingest = await h.token("ingest", { partner: "OLD-VOLMACHT" });
      const res = await h.call("POST", "/v1/deliveries?partner=OLD-VOLMACHT&kind=mutation", {
        token: ingest,
        body: PORTFOLIO_A.replaceAll("VA-", "OV-"),
      });
      expect(res.status).toBe(202);
      // Completed without an agreement date, the record stops the partner's deliveries.
      const completed = await h.call("PUT", "/v1/partners/OLD-VOLMACHT", {
        token: admin,
        json: signedPartner({ name: "Oude Volmacht", agreementSignedOn: null }),
      });
      expect(((await completed.json()) as { review?: unknown }).review).toBeUndefined();
      const after = await h.call("POST", "/v1/deliveries?partner=OLD-VOLMACHT&kind=mutation", {
        token: ingest,
        body: PORTFOLIO_A.replaceAll("VA-", "OV-"),
      });
      expect(await codeOf(after)).toBe("PARTNER_AGREEMENT_MISSING");
    } finally {
      await h.close();
    }
  });
}

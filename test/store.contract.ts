import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditRecord, Customer, Delivery, Policy, Product } from "../src/domain/model.ts";
import type { Partner } from "../src/domain/partner.ts";
import type { Store } from "../src/store/store.ts";
import { runCoordinationContract } from "./store-coordination.contract.ts";

/** A delivery record as intake writes it, with overrides. */
export function aDelivery(over: Partial<Delivery> = {}): Delivery {
  return {
    id: "d1",
    partner: "VOLMACHT-A",
    kind: "full",
    format: "csv",
    profile: "standaard",
    channel: "upload",
    receivedAt: "2026-01-10T09:00:00.000Z",
    sha256: "a".repeat(64),
    size: 10,
    status: "received",
    counts: { rows: 0, accepted: 0, rejected: 0 },
    errors: [],
    ...over,
  };
}

/** A resolved customer, with overrides. */
export function aCustomer(over: Partial<Customer> = {}): Customer {
  return {
    customerId: "c1",
    party: { kind: "P", initials: "J.", firstNames: "Jan", surname: "Berg", tussenvoegsel: "van den" },
    address: {
      postcode: "1234 AB",
      houseNumber: 12,
      houseNumberAddition: "A",
      country: "NL",
      city: "Utrecht",
    },
    phones: [{ raw: "06-12345678", e164: "+31612345678" }],
    partnerRefs: [{ partner: "VOLMACHT-A", partnerCustomerNumber: "R1" }],
    matchKeys: ["R|VOLMACHT-A|R1"],
    deliveryIds: ["d1"],
    updatedAt: "2026-01-10T09:00:00.000Z",
    ...over,
  };
}

/** A policy with one open version, with overrides. */
export function aPolicy(over: Partial<Policy> = {}): Policy {
  return {
    partner: "VOLMACHT-A",
    policyNumber: "P-1",
    customerId: "c1",
    versions: [
      {
        product: "RB-PARTICULIER",
        modules: ["CONS", "WON"],
        startDate: "2024-01-01",
        status: "actief",
        clauseCodes: [],
        household: true,
        validFrom: "2024-01-01",
        deliveryIds: ["d1"],
      },
    ],
    deliveryIds: ["d1"],
    ...over,
  };
}

async function* chunksOf(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield new TextEncoder().encode(p);
}

async function readAll(it: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString("utf8");
}

/** The behaviour every Store adapter must show; each adapter's test calls this with a fresh store. */
/**
 * Key → customerId for the known keys, as `findCustomersByMatchKeys` answers them; checks on the way
 * that the customers it answers are exactly those the keys resolve to, each once.
 */
export async function customerIdsByKeys(store: Store, keys: readonly string[]): Promise<Map<string, string>> {
  const found = await store.findCustomersByMatchKeys(keys);
  expect(found.customers.map((c) => c.customerId).sort()).toEqual(
    [...new Set(found.customerIds.values())].sort(),
  );
  return found.customerIds;
}

export function runStoreContract({ newStore }: { newStore: () => Promise<Store> }): void {
  let store: Store;
  beforeAll(async () => {
    store = await newStore();
    await store.init();
    await store.init(); // safe on every start
  });
  afterAll(async () => {
    await store?.close();
  });

  describe("files", () => {
    it("keeps a delivered file byte for byte, including multi-megabyte ones", async () => {
      const big = "x;y\n".repeat(1_000_000);
      expect(await store.putFile("f1", chunksOf("polisnummer;naam\n", big, "é€"))).toBe(
        Buffer.byteLength(`polisnummer;naam\n${big}é€`),
      );
      const back = await readAll(store.readFile("f1"));
      expect(back.length).toBe(`polisnummer;naam\n${big}é€`.length);
      expect(back.endsWith("x;y\né€")).toBe(true);
    });
    it("answers NOT_FOUND for a missing or deleted file", async () => {
      await store.putFile("f2", chunksOf("abc"));
      await store.deleteFile("f2");
      await expect(readAll(store.readFile("f2"))).rejects.toMatchObject({ code: "NOT_FOUND" });
      await store.deleteFile("f2"); // deleting twice is harmless
    });
    it("leaves nothing behind when the incoming stream fails", async () => {
      async function* broken(): AsyncIterable<Uint8Array> {
        yield new Uint8Array([1, 2, 3]);
        throw new Error("connection reset");
      }
      await expect(store.putFile("f3", broken())).rejects.toThrow("connection reset");
      await expect(readAll(store.readFile("f3"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });

  describe("deliveries", () => {
    it("stores, patches and lists deliveries", async () => {
      await store.insertDelivery(aDelivery({ id: "d-a", receivedAt: "2024-01-01T00:00:00.000Z" }));
      await store.insertDelivery(aDelivery({ id: "d-b", partner: "TUSSEN-B", sha256: "b".repeat(64) }));
      await store.updateDelivery("d-a", {
        status: "completed",
        counts: { rows: 2, accepted: 1, rejected: 1 },
        errors: [{ line: 3, field: "postcode", message: "not a Dutch postcode" }],
      });
      const a = await store.getDelivery("d-a");
      expect(a).toMatchObject({
        status: "completed",
        counts: { rows: 2, accepted: 1, rejected: 1 },
        kind: "full",
      });
      expect(a?.errors).toEqual([{ line: 3, field: "postcode", message: "not a Dutch postcode" }]);
      expect(await store.getDelivery("nope")).toBeNull();
      const old = await store.listDeliveries({ receivedBefore: "2025-01-01T00:00:00.000Z" });
      expect(old.map((d) => d.id)).toEqual(["d-a"]);
      expect((await store.listDeliveries({ partner: "TUSSEN-B" })).map((d) => d.id)).toEqual(["d-b"]);
      const open = await store.listDeliveries({ status: ["received", "processing"] });
      expect(open.map((d) => d.id)).toEqual(["d-b"]);
      expect(await store.listDeliveries({ status: ["completed"], partner: "TUSSEN-B" })).toEqual([]);
    });
    it("finds the earliest original delivery with the same file hash, never a duplicate or a failed one", async () => {
      const sha = "c".repeat(64);
      await store.insertDelivery(
        aDelivery({ id: "s-fail", sha256: sha, status: "failed", receivedAt: "2025-01-01T00:00:00.000Z" }),
      );
      await store.insertDelivery(
        aDelivery({ id: "s-1", sha256: sha, status: "completed", receivedAt: "2025-02-01T00:00:00.000Z" }),
      );
      await store.insertDelivery(
        aDelivery({
          id: "s-2",
          sha256: sha,
          status: "completed",
          duplicateOf: "s-1",
          receivedAt: "2025-03-01T00:00:00.000Z",
        }),
      );
      expect((await store.findDeliveryBySha256("VOLMACHT-A", sha))?.id).toBe("s-1");
      expect(await store.findDeliveryBySha256("TUSSEN-B", sha)).toBeNull();
      await store.deleteDelivery("s-1");
      expect(await store.getDelivery("s-1")).toBeNull();
    });
    it("pages a partner's deliveries newest first, by status and receipt time", async () => {
      const at = (day: number, hour = 9) =>
        `2026-03-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:00:00.000Z`;
      const page = [
        aDelivery({ id: "pg-1", partner: "PAGE-P", receivedAt: at(1), status: "completed" }),
        aDelivery({ id: "pg-2", partner: "PAGE-P", receivedAt: at(2), status: "failed" }),
        // Two in the same instant: the id breaks the tie.
        aDelivery({ id: "pg-3a", partner: "PAGE-P", receivedAt: at(3), status: "failed" }),
        aDelivery({ id: "pg-3b", partner: "PAGE-P", receivedAt: at(3), status: "held" }),
        aDelivery({ id: "pg-4", partner: "PAGE-P", receivedAt: at(4, 23), status: "completed" }),
        aDelivery({ id: "pg-x", partner: "PAGE-Q", receivedAt: at(3), status: "failed" }),
      ];
      for (const d of page) await store.insertDelivery(d);
      const ids = async (q: Omit<Parameters<Store["pageDeliveries"]>[0], "limit"> & { limit?: number }) =>
        (await store.pageDeliveries({ limit: 50, ...q })).map((d) => d.id);
      expect(await ids({ partner: "PAGE-P" })).toEqual(["pg-4", "pg-3b", "pg-3a", "pg-2", "pg-1"]);
      expect(await ids({ partner: "PAGE-P", status: ["failed"] })).toEqual(["pg-3a", "pg-2"]);
      expect(await ids({ partner: "PAGE-P", status: ["failed", "held"] })).toEqual([
        "pg-3b",
        "pg-3a",
        "pg-2",
      ]);
      expect(await ids({ partner: "PAGE-P", from: at(2), to: at(4) })).toEqual(["pg-3b", "pg-3a", "pg-2"]);
      expect(await ids({ status: ["failed"], from: at(3), to: at(4) })).toEqual(["pg-x", "pg-3a"]);
      // Pages of two, each after the last of the one before, meet every delivery once.
      const seen: string[] = [];
      let before: { receivedAt: string; id: string } | undefined;
      for (;;) {
        const got = await store.pageDeliveries({
          partner: "PAGE-P",
          limit: 2,
          ...(before ? { before } : {}),
        });
        seen.push(...got.map((d) => d.id));
        if (got.length < 2) break;
        const last = got[got.length - 1]!;
        before = { receivedAt: last.receivedAt, id: last.id };
      }
      expect(seen).toEqual(["pg-4", "pg-3b", "pg-3a", "pg-2", "pg-1"]);
      expect(await ids({ partner: "PAGE-NONE" })).toEqual([]);
    });
  });

  describe("customers", () => {
    it("upserts by customerId and keeps match keys and lineage lookups in step", async () => {
      await store.putCustomers([
        aCustomer({ customerId: "c1", matchKeys: ["K1", "K2"], deliveryIds: ["d1"] }),
        aCustomer({ customerId: "c2", matchKeys: ["K3"], deliveryIds: ["d1", "d2"] }),
      ]);
      expect(await customerIdsByKeys(store, ["K1", "K3", "K9"])).toEqual(
        new Map([
          ["K1", "c1"],
          ["K3", "c2"],
        ]),
      );
      // The same write again changes nothing (idempotent); a changed key set moves the lookup.
      await store.putCustomers([
        aCustomer({ customerId: "c1", matchKeys: ["K2", "K4"], deliveryIds: ["d2"] }),
      ]);
      expect(await customerIdsByKeys(store, ["K1", "K2", "K4"])).toEqual(
        new Map([
          ["K2", "c1"],
          ["K4", "c1"],
        ]),
      );
      expect(await store.customerIdsByDelivery("d1")).toEqual(["c2"]);
      expect(await store.customerIdsByDelivery("d2")).toEqual(["c1", "c2"]);
      expect(await store.countCustomers()).toBe(2);
      const c1 = await store.getCustomer("c1");
      expect(c1?.party.tussenvoegsel).toBe("van den");
      expect(c1?.address.houseNumberAddition).toBe("A");
      expect((await store.getCustomers(["c2", "c1", "zz"])).map((c) => c.customerId).sort()).toEqual([
        "c1",
        "c2",
      ]);
      // The same for the greatest id stored (c2), written beside a new one.
      await store.putCustomers([
        aCustomer({ customerId: "c2", matchKeys: ["K5"], deliveryIds: ["d1", "d2"] }),
        aCustomer({ customerId: "c3", matchKeys: ["K6"], deliveryIds: ["d2"] }),
      ]);
      expect(await customerIdsByKeys(store, ["K3", "K5", "K6"])).toEqual(
        new Map([
          ["K5", "c2"],
          ["K6", "c3"],
        ]),
      );
    });
    it("finds customers by identity keys together with the customers as stored", async () => {
      await store.putCustomers([
        aCustomer({ customerId: "m1", matchKeys: ["MK1", "MK2"], deliveryIds: ["d1"] }),
        aCustomer({ customerId: "m2", matchKeys: ["MK3"], deliveryIds: ["d1"] }),
        aCustomer({ customerId: "m3", matchKeys: ["MK7"], deliveryIds: ["d1"] }),
      ]);
      const found = await store.findCustomersByMatchKeys(["MK1", "MK2", "MK3", "MK9", "MK1"]);
      expect(found.customerIds).toEqual(
        new Map([
          ["MK1", "m1"],
          ["MK2", "m1"],
          ["MK3", "m2"],
        ]),
      );
      // Each customer a key names, once, as stored; none that no key asked for names (m3).
      expect(found.customers.map((c) => c.customerId).sort()).toEqual(["m1", "m2"]);
      expect(found.customers.find((c) => c.customerId === "m1")).toEqual(await store.getCustomer("m1"));
      expect(await store.findCustomersByMatchKeys(["MK9"])).toEqual({
        customerIds: new Map(),
        customers: [],
      });
      expect(await store.findCustomersByMatchKeys([])).toEqual({ customerIds: new Map(), customers: [] });
    });

    it("takes the stored versions a caller read on a write, and keeps the key lookup in step", async () => {
      await store.putCustomers([
        aCustomer({ customerId: "s1", matchKeys: ["SK1", "SK2"] }),
        aCustomer({ customerId: "s2", matchKeys: ["SK3"] }),
      ]);
      const read = await store.findCustomersByMatchKeys(["SK1", "SK3"]);
      const stored = new Map(read.customers.map((c) => [c.customerId, c]));
      // s1 gives up SK1 and gains SK4; s2 keeps SK3 and gains SK5; s3 is new (not in `stored`).
      await store.putCustomers(
        [
          aCustomer({ customerId: "s1", matchKeys: ["SK2", "SK4"] }),
          aCustomer({ customerId: "s2", matchKeys: ["SK3", "SK5"] }),
          aCustomer({ customerId: "s3", matchKeys: ["SK6"] }),
        ],
        stored,
      );
      expect(await customerIdsByKeys(store, ["SK1", "SK2", "SK3", "SK4", "SK5", "SK6"])).toEqual(
        new Map([
          ["SK2", "s1"],
          ["SK3", "s2"],
          ["SK4", "s1"],
          ["SK5", "s2"],
          ["SK6", "s3"],
        ]),
      );
      // A key two customers of one call list goes to the last one listed, also one the first held.
      const again = await store.findCustomersByMatchKeys(["SK2", "SK3"]);
      await store.putCustomers(
        [
          aCustomer({ customerId: "s1", matchKeys: ["SK2", "SK4"] }),
          aCustomer({ customerId: "s2", matchKeys: ["SK3", "SK5", "SK2"] }),
        ],
        new Map(again.customers.map((c) => [c.customerId, c])),
      );
      expect((await customerIdsByKeys(store, ["SK2"])).get("SK2")).toBe("s2");
    });

    it("a read asked with an aborted signal ends with the abort's reason", async () => {
      const reason = new Error("nobody waits any more");
      const signal = AbortSignal.abort(reason);
      await expect(store.getCustomer("c-any", { signal })).rejects.toBe(reason);
      await expect(store.policiesOfCustomers(["c-any"], { signal })).rejects.toBe(reason);
      expect(await store.getCustomer("c-any", { signal: new AbortController().signal })).toBeNull();
    });
    it("walks all customers in ordered batches and deletes them with their keys", async () => {
      await store.putCustomers(
        Array.from({ length: 25 }, (_, i) =>
          aCustomer({
            customerId: `w${String(i).padStart(2, "0")}`,
            matchKeys: [`W${i}`],
            deliveryIds: ["dw"],
          }),
        ),
      );
      const seen: string[] = [];
      for await (const batch of store.iterateCustomers(10)) {
        expect(batch.length).toBeLessThanOrEqual(10);
        seen.push(...batch.map((c) => c.customerId));
      }
      expect(seen.filter((id) => id.startsWith("w"))).toHaveLength(25);
      expect(seen).toEqual([...seen].sort());
      await store.deleteCustomers(seen.filter((id) => id.startsWith("w")));
      expect(await store.customerIdsByDelivery("dw")).toEqual([]);
      expect((await customerIdsByKeys(store, ["W3"])).size).toBe(0);
      expect(await store.getCustomer("w03")).toBeNull();
    });
  });

  describe("policies", () => {
    it("upserts by (partner, policyNumber) without duplicates and answers every lookup", async () => {
      await store.putPolicies([
        aPolicy(),
        aPolicy({ partner: "TUSSEN-B", customerId: "c2", deliveryIds: ["d2"] }),
      ]);
      // Re-running the same write (an interrupted delivery run again) must not duplicate.
      await store.putPolicies([aPolicy()]);
      expect((await store.findPoliciesByNumber("P-1")).map((p) => p.partner)).toEqual([
        "TUSSEN-B",
        "VOLMACHT-A",
      ]);
      const [got] = await store.getPolicies([{ partner: "VOLMACHT-A", policyNumber: "P-1" }]);
      expect(got?.versions[0]?.modules).toEqual(["CONS", "WON"]);
      expect((await store.policiesOfCustomers(["c2"])).map((p) => p.partner)).toEqual(["TUSSEN-B"]);
      expect(await store.policyNumbersOfPartner("VOLMACHT-A")).toEqual(["P-1"]);
      expect(await store.policyKeysByDelivery("d2")).toEqual([{ partner: "TUSSEN-B", policyNumber: "P-1" }]);
      // The same holder, another document (a version more): the document is replaced.
      const [v1] = aPolicy().versions;
      await store.putPolicies([
        aPolicy({ versions: [v1!, { ...v1!, validFrom: "2025-01-01", modules: ["ARB"] }] }),
      ]);
      expect((await store.policiesOfCustomers(["c1"]))[0]?.versions.map((v) => v.modules)).toEqual([
        ["CONS", "WON"],
        ["ARB"],
      ]);
      // Another holder: the policy moves with its document.
      await store.putPolicies([aPolicy({ customerId: "c9", deliveryIds: ["d3"] })]);
      expect(await store.policyKeysByDelivery("d1")).toEqual([]);
      expect((await store.policiesOfCustomers(["c9"])).map((p) => p.policyNumber)).toEqual(["P-1"]);
      expect(await store.policiesOfCustomers(["c1"])).toEqual([]);
      expect((await store.findPoliciesByNumber("P-1")).map((p) => [p.partner, p.customerId])).toEqual([
        ["TUSSEN-B", "c2"],
        ["VOLMACHT-A", "c9"],
      ]);
      await store.deletePolicies([{ partner: "VOLMACHT-A", policyNumber: "P-1" }]);
      expect(await store.getPolicies([{ partner: "VOLMACHT-A", policyNumber: "P-1" }])).toEqual([]);
      expect(await store.policyKeysByDelivery("d3")).toEqual([]);
    });
  });

  describe("partners", () => {
    const partner = (over: Partial<Partner> = {}): Partner => ({
      id: "VOLMACHT-P",
      name: "Volmacht P",
      type: "volmacht",
      phase: "pilot",
      agreementSignedOn: "2026-01-05",
      holdThresholdPercent: 20,
      registeredAt: "2026-01-05T10:00:00.000Z",
      updatedAt: "2026-01-05T10:00:00.000Z",
      ...over,
    });
    it("registers partners by id, replaces a record whole and lists them in id order", async () => {
      await store.partners.put(partner({ id: "ZZ-LAST", name: "Last" }));
      await store.partners.put(partner({ contact: { email: "data@volmacht-p.example" } }));
      await store.partners.put(partner({ phase: "live", name: "Volmacht P bv" }));
      const got = await store.partners.get("VOLMACHT-P");
      expect(got).toEqual(partner({ phase: "live", name: "Volmacht P bv" }));
      expect(got?.contact).toBeUndefined();
      expect(await store.partners.get("NOBODY")).toBeNull();
      expect((await store.partners.list()).map((p) => [p.id, p.name])).toEqual([
        ["VOLMACHT-P", "Volmacht P bv"],
        ["ZZ-LAST", "Last"],
      ]);
    });
    it("names the partners it holds data of, and a partner's customers", async () => {
      await store.insertDelivery(aDelivery({ id: "held-1", partner: "HELD-D", sha256: "e".repeat(64) }));
      await store.putPolicies([
        aPolicy({ partner: "HELD-P", policyNumber: "HP-1", customerId: "hp-c2" }),
        aPolicy({ partner: "HELD-P", policyNumber: "HP-2", customerId: "hp-c1" }),
        aPolicy({ partner: "HELD-P", policyNumber: "HP-3", customerId: "hp-c1" }),
      ]);
      const held = await store.partners.heldPartnerIds();
      expect(held).toEqual([...held].sort());
      expect(held).toEqual(expect.arrayContaining(["HELD-D", "HELD-P"]));
      expect(await store.partners.customerIdsOf("HELD-P")).toEqual(["hp-c1", "hp-c2"]);
      expect(await store.partners.customerIdsOf("NOBODY")).toEqual([]);
    });
  });

  describe("catalogue, jobs, audit", () => {
    const product: Product = {
      code: "RB-PARTICULIER",
      name: "Rechtsbijstand particulier",
      reportingDeadlineMonths: 12,
      modules: [
        { code: "CONS", name: "Consument", legalAreas: ["consument", "reizen"], waitingPeriodMonths: 0 },
      ],
      clauses: [],
      conditions: [{ code: "RBP-2022", validFrom: "2022-01-01" }],
    };
    it("stores products and jobs by key", async () => {
      await store.putProduct(product);
      await store.putProduct({ ...product, name: "Rechtsbijstand" });
      expect((await store.listProducts()).map((p) => p.name)).toEqual(["Rechtsbijstand"]);
      expect(await store.getProduct("nope")).toBeNull();
      const job = {
        id: "j1",
        type: "purge" as const,
        status: "queued" as const,
        progress: { done: 0, total: 0 },
        createdAt: "2026-01-01T00:00:00.000Z",
      };
      await store.putJob(job);
      await store.putJob({ ...job, status: "completed" });
      expect((await store.getJob("j1"))?.status).toBe("completed");
      await store.putJob({ ...job, id: "j2", createdAt: "2026-01-03T00:00:00.000Z" });
      await store.putJob({ ...job, id: "j3", type: "reindex", createdAt: "2026-01-04T00:00:00.000Z" });
      await store.putJob({ ...job, id: "j4", createdAt: "2026-01-02T00:00:00.000Z" });
      expect((await store.recentJobs("purge", 10)).map((j) => j.id)).toEqual(["j2", "j4", "j1"]);
      expect((await store.recentJobs("purge", 1)).map((j) => j.id)).toEqual(["j2"]);
    });
    it("writes a product only at the version the writer read (compare and set)", async () => {
      const v = (version: number, name: string) => ({ ...product, code: "CAS-1", name, version });
      expect(await store.putProductIfVersion(v(1, "first"), null)).toBe(true);
      expect(await store.putProductIfVersion(v(1, "again"), null)).toBe(false);
      expect(await store.putProductIfVersion(v(2, "second"), 1)).toBe(true);
      // Another writer that read version 1 too loses.
      expect(await store.putProductIfVersion(v(2, "late"), 1)).toBe(false);
      expect(await store.getProduct("CAS-1")).toMatchObject({ name: "second", version: 2 });
      // A product stored before versions existed counts as version 1.
      await store.putProduct({ ...product, code: "CAS-OLD" });
      expect(await store.putProductIfVersion({ ...product, code: "CAS-OLD", version: 2 }, 1)).toBe(true);
      expect(await store.putProductIfVersion({ ...product, code: "CAS-OLD", version: 2 }, 1)).toBe(false);
      expect(await store.getProduct("CAS-OLD")).toMatchObject({ version: 2 });
    });
    it("counts the deliveries received before a cutoff, and says how it asked (retention's check)", async () => {
      const d = (id: string, receivedAt: string): Delivery => ({
        id,
        partner: "P",
        kind: "full",
        format: "csv",
        profile: "standaard",
        channel: "upload",
        receivedAt,
        sha256: id,
        size: 1,
        status: "completed",
        counts: { rows: 0, accepted: 0, rejected: 0 },
        errors: [],
      });
      await store.insertDelivery(d("old", "2023-01-01T00:00:00.000Z"));
      await store.insertDelivery(d("new", "2025-01-01T00:00:00.000Z"));
      const check = await store.verifyRetention("2024-01-01T00:00:00.000Z");
      expect(check.found).toBe(1);
      expect(check.query).toContain("2024-01-01T00:00:00.000Z");
      expect((await store.verifyRetention("2022-01-01T00:00:00.000Z")).found).toBe(0);
      // Both stores here can do all their scrub promises (SQLite; FerretDB's compact).
      expect(await store.scrub()).toMatchObject({ ok: true });
    });
    it("appends audit records, filters them and deletes the old ones", async () => {
      const rec = (id: string, at: string, subject: string, customerIds: string[]): AuditRecord => ({
        id,
        at,
        subject,
        roles: ["agent"],
        endpoint: "POST /v1/search",
        fields: ["name"],
        customerIds,
        outcome: "ok",
        status: 200,
      });
      await store.appendAudit(rec("a1", "2026-01-01T10:00:00.000Z", "anna", ["c1"]));
      await store.appendAudit(rec("a2", "2026-02-01T10:00:00.000Z", "bob", ["c1", "c2"]));
      await store.appendAudit(rec("a3", "2026-03-01T10:00:00.000Z", "anna", []));
      const ids = async (q: Partial<Parameters<Store["queryAudit"]>[0]>) =>
        (await store.queryAudit({ limit: 50, ...q })).map((r) => r.id).sort();
      expect(await ids({ subject: "anna" })).toEqual(["a1", "a3"]);
      expect(await ids({ customerId: "c2" })).toEqual(["a2"]);
      expect(await ids({ from: "2026-01-15T00:00:00.000Z", to: "2026-02-15T00:00:00.000Z" })).toEqual(["a2"]);
      expect(await store.deleteAuditBefore("2026-02-15T00:00:00.000Z")).toBe(2);
      expect(await ids({})).toEqual(["a3"]);
    });
    it("replaces an erased customer's id by a tombstone in every audit record, dropping the query hash", async () => {
      const rec = (id: string, customerIds: string[]): AuditRecord => ({
        id,
        at: `2026-04-0${id.slice(1)}T10:00:00.000Z`,
        subject: "anna",
        roles: ["agent"],
        endpoint: "POST /v1/search",
        fields: ["name"],
        queryHash: "hmac",
        customerIds,
        outcome: "ok",
        status: 200,
      });
      await store.appendAudit(rec("e1", ["gone", "kept"]));
      await store.appendAudit(rec("e2", ["kept"]));
      await store.appendAudit(rec("e3", ["gone"]));
      expect(await store.replaceAuditCustomer("gone", "erased:x")).toBe(2);
      expect(await store.queryAudit({ customerId: "gone", limit: 10 })).toEqual([]);
      const tomb = await store.queryAudit({ customerId: "erased:x", limit: 10 });
      expect(tomb.map((r) => [r.id, r.customerIds, r.queryHash])).toEqual([
        ["e3", ["erased:x"], undefined],
        ["e1", ["erased:x", "kept"], undefined],
      ]);
      expect((await store.queryAudit({ customerId: "kept", limit: 10 })).map((r) => r.id)).toEqual([
        "e2",
        "e1",
      ]);
      expect((await store.queryAudit({ customerId: "kept", limit: 10 }))[0]!.queryHash).toBe("hmac");
      expect(await store.replaceAuditCustomer("nobody", "erased:y")).toBe(0);
    });
  });

  runCoordinationContract(() => store);
}

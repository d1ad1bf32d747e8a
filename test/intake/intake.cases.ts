import { afterEach, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { createDeliveryIntake, type SubmitDelivery } from "../../src/ingest/delivery-intake.ts";
import { EmbeddedSearchEngine } from "../../src/search/embedded-engine.ts";
import type { Store } from "../../src/store/store.ts";
import { registerPartners } from "../support/partners.ts";
import { csv, line, RecordingIndexer, snapshot } from "./fixtures.ts";

type NewStore = () => Promise<Store>;

const submitOf = (
  partner: string,
  kind: "full" | "mutation",
  body: AsyncIterable<Uint8Array>,
  receivedAt: string,
): SubmitDelivery => ({
  partner,
  kind,
  format: "csv",
  profile: "standaard",
  channel: "upload",
  receivedAt,
  body,
});

/** Delivery intake behaviour, run over every store adapter. */
export function runIntakeCases({ newStore }: { newStore: NewStore }): void {
  const open: Store[] = [];
  const fresh = async () => {
    const store = await newStore();
    await store.init();
    await registerPartners(store);
    open.push(store);
    return store;
  };
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  it("accepts valid rows, reports invalid ones by line and field, and makes the accepted searchable", async () => {
    const store = await fresh();
    const indexer = new RecordingIndexer();
    const intake = createDeliveryIntake({ store, indexer });
    const d = await intake.submit(
      submitOf(
        "VOLMACHT-A",
        "full",
        csv(
          line({ polis: "A-1", relatie: "R1" }),
          line({ polis: "A-2", relatie: "R1", dekkingen: "ARB" }),
          line({ polis: "A-3", postcode: "12345" }),
        ),
        "2025-01-10T09:00:00.000Z",
      ),
    );
    expect(d.status).toBe("received");
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    const done = await intake.whenSettled(d.id);
    expect(done.status).toBe("completed");
    expect(done.counts).toEqual({ rows: 3, accepted: 2, rejected: 1 });
    expect(done.errors).toEqual([expect.objectContaining({ line: 4, field: "postcode" })]);
    expect(await store.countCustomers()).toBe(1);
    const [policy] = await store.findPoliciesByNumber("A-2");
    expect(policy?.versions[0]).toMatchObject({
      modules: ["ARB"],
      validFrom: "2024-01-01",
      status: "actief",
    });
    expect([...indexer.indexed]).toEqual([policy!.customerId]);
  });

  it("recognises the same file twice and changes nothing", async () => {
    const store = await fresh();
    const intake = createDeliveryIntake({ store, indexer: new RecordingIndexer() });
    const rows = [
      line({ polis: "A-1" }),
      line({ polis: "A-2", voorletters: "M.", geboortedatum: "02-02-1990" }),
    ];
    const first = await intake.whenSettled(
      (await intake.submit(submitOf("VOLMACHT-A", "full", csv(...rows), "2025-01-10T09:00:00.000Z"))).id,
    );
    const before = await snapshot(store);
    const again = await intake.whenSettled(
      (await intake.submit(submitOf("VOLMACHT-A", "full", csv(...rows), "2025-02-10T09:00:00.000Z"))).id,
    );
    expect(again).toMatchObject({ status: "completed", duplicateOf: first.id, sha256: first.sha256 });
    expect(await snapshot(store)).toEqual(before);
    expect((await store.findPoliciesByNumber("A-1"))[0]?.deliveryIds).toEqual([first.id]);
    // Another partner sending the identical bytes is not a duplicate of someone else's delivery.
    const other = await intake.whenSettled(
      (await intake.submit(submitOf("TUSSEN-B", "full", csv(...rows), "2025-02-11T09:00:00.000Z"))).id,
    );
    expect(other.duplicateOf).toBeUndefined();
  });

  it("resolves one person delivered by two partners to one customer with both policies", async () => {
    const store = await fresh();
    const intake = createDeliveryIntake({ store, indexer: new RecordingIndexer() });
    await intake.whenSettled(
      (
        await intake.submit(
          submitOf(
            "VOLMACHT-A",
            "full",
            csv(line({ polis: "A-1", relatie: "R1" })),
            "2025-01-10T09:00:00.000Z",
          ),
        )
      ).id,
    );
    const b = await intake.submit(
      submitOf(
        "TUSSEN-B",
        "full",
        csv(
          line({
            polis: "B-7",
            relatie: "X9",
            tussenvoegsel: "",
            achternaam: "van den BERG",
            postcode: "3511ab",
            telefoon: "020-1234567",
          }),
          // Twin at the same address: same surname and birth date, other initial — stays apart.
          line({ polis: "B-8", relatie: "X10", voorletters: "M." }),
          // Father with the same initials at the same address, other birth date — stays apart.
          line({ polis: "B-9", relatie: "X11", geboortedatum: "03-03-1950" }),
        ),
        "2025-01-11T09:00:00.000Z",
      ),
    );
    await intake.whenSettled(b.id);
    const [a1] = await store.findPoliciesByNumber("A-1");
    const [b7] = await store.findPoliciesByNumber("B-7");
    expect(b7?.customerId).toBe(a1?.customerId);
    const customer = await store.getCustomer(a1!.customerId);
    expect(customer?.partnerRefs.map((r) => r.partner).sort()).toEqual(["TUSSEN-B", "VOLMACHT-A"]);
    // The newest delivery's contact data is what the call centre sees.
    expect(customer?.phones.map((p) => p.e164)).toEqual(["+31201234567"]);
    expect(customer?.updatedAt).toBe("2025-01-11T09:00:00.000Z");
    expect(await store.countCustomers()).toBe(3);
  });

  it("indexes what it wrote without reading it back: the index agrees with the store after every delivery", async () => {
    const store = await fresh();
    const engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
    await engine.init();
    const indexer = createIndexer({ store, engine, today: () => "2026-11-25" });
    // One row per batch: later rows meet customers an earlier batch stored.
    const intake = createDeliveryIntake({ store, indexer, batchSize: 1 });
    const deliver = async (partner: string, kind: "full" | "mutation", at: string, ...lines: string[]) =>
      intake.whenSettled((await intake.submit(submitOf(partner, kind, csv(...lines), at))).id);
    const policiesInIndex = async (policyNumber: string) => {
      const [p] = await store.findPoliciesByNumber(policyNumber);
      const doc = await engine.get(p!.customerId);
      return doc?.policies.map((x) => x.policyNumber).sort();
    };
    const other = {
      relatie: "R2",
      voorletters: "K.",
      achternaam: "Smit",
      geboortedatum: "02-02-1990",
      postcode: "1011 AA",
    };
    await deliver(
      "VOLMACHT-A",
      "full",
      "2025-01-10T09:00:00.000Z",
      line({ polis: "A-1", relatie: "R1" }),
      line({ polis: "A-2", ...other }),
      line({ polis: "A-3", relatie: "R1" }),
    );
    expect(await policiesInIndex("A-1")).toEqual(["A-1", "A-3"]);
    // Another partner's policy for the same person joins the customer; the index shows all three.
    await deliver("TUSSEN-B", "mutation", "2025-01-11T09:00:00.000Z", line({ polis: "B-1", relatie: "X1" }));
    expect(await policiesInIndex("B-1")).toEqual(["A-1", "A-3", "B-1"]);
    // A-3 passes to the other customer: its former holder no longer lists it in the index either.
    await deliver("VOLMACHT-A", "mutation", "2025-01-12T09:00:00.000Z", line({ polis: "A-3", ...other }));
    expect(await policiesInIndex("A-1")).toEqual(["A-1", "B-1"]);
    expect(await policiesInIndex("A-2")).toEqual(["A-2", "A-3"]);
    const report = await indexer.reconcile(100);
    expect(report).toMatchObject({ storeCount: 2, indexCount: 2, sampled: 2, mismatched: [], ok: true });
    await engine.close();
  });

  it("a re-delivery indexes only customers whose search document may change, and the index stays right", async () => {
    const store = await fresh();
    const engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
    await engine.init();
    let day = "2025-01-10";
    const indexer = createIndexer({ store, engine, today: () => day });
    // The customers each indexRecords call was handed.
    const handed: string[][] = [];
    const recording = {
      ...indexer,
      indexRecords: (records: Parameters<typeof indexer.indexRecords>[0]) => {
        handed.push(records.map((r) => r.customer.customerId));
        return indexer.indexRecords(records);
      },
    };
    const intake = createDeliveryIntake({ store, indexer: recording });
    const deliver = async (kind: "full" | "mutation", at: string, ...lines: string[]) => {
      handed.length = 0;
      const d = await intake.whenSettled(
        (await intake.submit(submitOf("VOLMACHT-A", kind, csv(...lines), at))).id,
      );
      expect(d.status).toBe("completed");
      return new Set(handed.flat());
    };
    const holder = async (polis: string) => (await store.findPoliciesByNumber(polis))[0]!.customerId;
    const a1 = line({ polis: "A-1", relatie: "R1" });
    const a2 = (telefoon: string) =>
      line({ polis: "A-2", relatie: "R2", voorletters: "K.", geboortedatum: "02-02-1990", telefoon });
    const a3 = (dekkingen: string) =>
      line({ polis: "A-3", relatie: "R3", voorletters: "P.", geboortedatum: "03-03-1970", dekkingen });

    expect(
      (await deliver("full", "2025-01-10T09:00:00.000Z", a1, a2("06-11111111"), a3("CONS,WON"))).size,
    ).toBe(3);
    // A-3 gets new cover from 1 March, told in January.
    day = "2025-01-12";
    await deliver(
      "mutation",
      "2025-01-12T09:00:00.000Z",
      line({
        polis: "A-3",
        relatie: "R3",
        voorletters: "P.",
        geboortedatum: "03-03-1970",
        dekkingen: "CONS,WON,ARB",
        mutatie: "01-03-2025",
      }),
    );
    // February's full delivery: A-1 the same, A-2 with another phone, A-3 the same as in January.
    day = "2025-02-10";
    const february = await deliver("full", "2025-02-10T09:00:00.000Z", a1, a2("06-22222222"), a3("CONS,WON"));
    // A-2 changed; A-3 has a version to come (its document is made again, ready or not); A-1 only confirmed.
    expect(february).toEqual(new Set([await holder("A-2"), await holder("A-3")]));
    expect(await indexer.reconcile(100)).toMatchObject({
      storeCount: 3,
      indexCount: 3,
      mismatched: [],
      ok: true,
    });
    // In March A-3's new cover is current: the document made in February shows the old one, so the
    // March delivery, which changes nothing, must make it again.
    day = "2025-03-05";
    const march = await deliver(
      "full",
      "2025-03-05T09:00:00.000Z",
      a1,
      a2("06-22222222"),
      a3("CONS,WON,ARB"),
    );
    expect(march).toEqual(new Set([await holder("A-3")]));
    expect(await indexer.reconcile(100)).toMatchObject({
      storeCount: 3,
      indexCount: 3,
      mismatched: [],
      ok: true,
    });
    const [doc] = (await engine.get(await holder("A-3")))!.policies;
    expect(doc?.modules).toEqual(["CONS", "WON", "ARB"]);
    // A-1 was confirmed three times and never made again, yet its lineage has all three deliveries.
    expect((await store.getCustomer(await holder("A-1")))?.deliveryIds).toHaveLength(3);
    await engine.close();
  });

  it("a full delivery ends the partner's policies it lacks; a mutation adds a version from its mutatiedatum", async () => {
    const store = await fresh();
    // Ending one of two policies is 50 %: above the default hold threshold (20 %), so this partner's is raised.
    await registerPartners(store, ["VOLMACHT-A"], { holdThresholdPercent: 60 });
    const intake = createDeliveryIntake({ store, indexer: new RecordingIndexer() });
    const settle = async (kind: "full" | "mutation", at: string, ...rows: string[]) =>
      intake.whenSettled((await intake.submit(submitOf("VOLMACHT-A", kind, csv(...rows), at))).id);
    await settle(
      "full",
      "2025-01-10T09:00:00.000Z",
      line({ polis: "A-1" }),
      line({ polis: "A-2", voorletters: "M.", geboortedatum: "02-02-1990" }),
    );
    await settle(
      "mutation",
      "2025-03-01T09:00:00.000Z",
      line({ polis: "A-1", dekkingen: "CONS,WON,ARB", mutatie: "15-02-2025" }),
    );
    // 23:30 UTC on 31 March is 1 April in the Netherlands: the delivery's date.
    const full = await settle(
      "full",
      "2025-03-31T23:30:00.000Z",
      line({ polis: "A-1", dekkingen: "CONS,WON,ARB" }),
    );
    const [a1] = await store.findPoliciesByNumber("A-1");
    expect(a1?.versions.map((v) => [v.validFrom, v.validTo, v.modules.join("+")])).toEqual([
      ["2024-01-01", "2025-02-15", "CONS+WON"],
      ["2025-02-15", undefined, "CONS+WON+ARB"],
    ]);
    expect(a1?.versions[1]?.deliveryIds).toHaveLength(2); // the last full delivery confirmed it
    const [a2] = await store.findPoliciesByNumber("A-2");
    expect(a2?.versions.map((v) => [v.validFrom, v.status, v.endDate])).toEqual([
      ["2024-01-01", "actief", undefined],
      ["2025-04-01", "geroyeerd", "2025-04-01"],
    ]);
    expect(a2?.versions[1]?.deliveryIds).toEqual([full.id]);
  });

  it("a whole-file problem fails the delivery with a clear message and leaves the store as it was", async () => {
    const store = await fresh();
    const intake = createDeliveryIntake({ store, indexer: new RecordingIndexer() });
    await intake.whenSettled(
      (
        await intake.submit(
          submitOf("VOLMACHT-A", "full", csv(line({ polis: "A-1" })), "2025-01-10T09:00:00.000Z"),
        )
      ).id,
    );
    const before = await snapshot(store);
    async function* noPolisnummer() {
      yield new TextEncoder().encode("achternaam;product\nBerg;RB-PARTICULIER\n");
    }
    const failed = await intake.whenSettled(
      (await intake.submit(submitOf("VOLMACHT-A", "full", noPolisnummer(), "2025-02-10T09:00:00.000Z"))).id,
    );
    expect(failed.status).toBe("failed");
    expect(failed.failure).toMatch(/polisnummer/);
    expect(await snapshot(store)).toEqual(before);
    const empty = await intake.whenSettled(
      (
        await intake.submit(
          submitOf("VOLMACHT-A", "full", (async function* () {})(), "2025-02-11T09:00:00.000Z"),
        )
      ).id,
    );
    expect(empty.status).toBe("failed");
    expect(await snapshot(store)).toEqual(before);
  });

  it("refuses a full delivery without one valid row, which would end every policy of the partner", async () => {
    const store = await fresh();
    const intake = createDeliveryIntake({ store, indexer: new RecordingIndexer() });
    const at = (day: number) => `2025-03-${String(day).padStart(2, "0")}T09:00:00.000Z`;
    const first = intake.submit(submitOf("VOLMACHT-A", "full", csv(line({ polis: "A-1" })), at(1)));
    await intake.whenSettled((await first).id);
    const before = await snapshot(store);
    const headerOnly = await intake.whenSettled(
      (await intake.submit(submitOf("VOLMACHT-A", "full", csv(), at(2)))).id,
    );
    expect(headerOnly.status).toBe("failed");
    expect(headerOnly.failure).toMatch(/without one valid row/);
    const allInvalid = await intake.whenSettled(
      (
        await intake.submit(
          submitOf("VOLMACHT-A", "full", csv(line({ polis: "A-2", postcode: "12" })), at(3)),
        )
      ).id,
    );
    expect(allInvalid.status).toBe("failed");
    expect(allInvalid.counts).toMatchObject({ rows: 1, accepted: 0, rejected: 1 });
    expect(allInvalid.errors[0]?.field).toBe("postcode");
    expect(await snapshot(store)).toEqual(before);
  });

  it("refuses a file over the size limit and leaves nothing behind", async () => {
    const store = await fresh();
    const intake = createDeliveryIntake({ store, indexer: new RecordingIndexer(), maxBytes: 1000 });
    async function* big() {
      for (let i = 0; i < 10; i++) yield new Uint8Array(300);
    }
    await expect(
      intake.submit(submitOf("VOLMACHT-A", "full", big(), "2025-01-10T09:00:00.000Z")),
    ).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
    });
    expect(await store.listDeliveries({})).toEqual([]);
  });

  it("keeps the first 1000 row errors but counts every rejected row", async () => {
    const store = await fresh();
    const intake = createDeliveryIntake({ store, indexer: new RecordingIndexer() });
    const bad = Array.from({ length: 1200 }, (_, i) => line({ polis: `X-${i}`, postcode: "0000" }));
    const d = await intake.whenSettled(
      (
        await intake.submit(
          submitOf("VOLMACHT-A", "mutation", csv(...bad, line({ polis: "A-1" })), "2025-01-10T09:00:00.000Z"),
        )
      ).id,
    );
    expect(d.counts).toEqual({ rows: 1201, accepted: 1, rejected: 1200 });
    expect(d.errors).toHaveLength(1000);
    expect(d.errors[999]?.line).toBe(1001);
  });

  it("a delivery cut short by a crash is resumed to the same end state as an uninterrupted run", async () => {
    const rows = Array.from({ length: 10 }, (_, i) =>
      line({
        polis: `A-${i}`,
        relatie: `R${i % 4}`,
        voorletters: "ABCD"[i % 4],
        geboortedatum: `0${(i % 4) + 1}-01-1980`,
      }),
    );
    const reference = await fresh();
    const clean = createDeliveryIntake({ store: reference, indexer: new RecordingIndexer(), batchSize: 3 });
    await clean.whenSettled(
      (await clean.submit(submitOf("VOLMACHT-A", "full", csv(...rows), "2025-01-10T09:00:00.000Z"))).id,
    );

    const store = await fresh();
    const dying = new RecordingIndexer();
    dying.beforeIndex = (call) => (call >= 2 ? new Promise<void>(() => {}) : Promise.resolve()); // the process "dies" in batch 2
    const first = createDeliveryIntake({ store, indexer: dying, batchSize: 3 });
    const d = await first.submit(submitOf("VOLMACHT-A", "full", csv(...rows), "2025-01-10T09:00:00.000Z"));
    await expect
      .poll(async () => (await store.policyNumbersOfPartner("VOLMACHT-A")).length)
      .toBeGreaterThanOrEqual(3);
    expect((await store.getDelivery(d.id))?.status).toBe("processing");

    const indexer = new RecordingIndexer();
    const restarted = createDeliveryIntake({ store, indexer, batchSize: 3 });
    expect(await restarted.resume()).toEqual([d.id]);
    const done = await restarted.whenSettled(d.id);
    expect(done.counts).toEqual({ rows: 10, accepted: 10, rejected: 0 });
    expect(await snapshot(store)).toEqual(await snapshot(reference));
    expect(await store.countCustomers()).toBe(4);
    expect(indexer.indexed.size).toBe(4);
  });

  it("a re-delivery cut short after its last write, before indexing it, is indexed when resumed", async () => {
    const rows = [
      line({ polis: "A-1", relatie: "R1" }),
      line({ polis: "A-2", relatie: "R2", voorletters: "K." }),
    ];
    const store = await fresh();
    const first = createDeliveryIntake({ store, indexer: new RecordingIndexer() });
    await first.whenSettled(
      (await first.submit(submitOf("VOLMACHT-A", "full", csv(...rows), "2025-01-10T09:00:00.000Z"))).id,
    );
    // The same portfolio a month later, A-2 with a phone number: the process "dies" while indexing.
    const next = [
      rows[0]!,
      line({ polis: "A-2", relatie: "R2", voorletters: "K.", telefoon: "06-12345678" }),
    ];
    const dying = new RecordingIndexer();
    dying.beforeIndex = () => new Promise<void>(() => {});
    const crashed = createDeliveryIntake({ store, indexer: dying });
    const d = await crashed.submit(submitOf("VOLMACHT-A", "full", csv(...next), "2025-02-10T09:00:00.000Z"));
    await expect
      .poll(
        async () =>
          (await store.getCustomer((await store.findPoliciesByNumber("A-2"))[0]!.customerId))?.phones.length,
      )
      .toBe(1);

    // Run again, the store already holds what the delivery says: yet what it wrote must be indexed,
    // the index never having seen it (the customer it only confirms, A-1's, included).
    const indexer = new RecordingIndexer();
    const restarted = createDeliveryIntake({ store, indexer });
    expect(await restarted.resume()).toEqual([d.id]);
    expect((await restarted.whenSettled(d.id)).status).toBe("completed");
    expect(indexer.indexed).toEqual(
      new Set([
        (await store.findPoliciesByNumber("A-1"))[0]!.customerId,
        (await store.findPoliciesByNumber("A-2"))[0]!.customerId,
      ]),
    );
  });
}

import { afterEach, expect, it } from "vitest";
import { createLeaseKeeper, type LeaseKeeper } from "../../src/cluster/lease-keeper.ts";
import { createDeliveryIntake, INTAKE_LEASE, type SubmitDelivery } from "../../src/ingest/delivery-intake.ts";
import type { Store } from "../../src/store/store.ts";
import { registerPartners } from "../support/partners.ts";
import { csv, line, RecordingIndexer, snapshot } from "./fixtures.ts";

type NewStore = () => Promise<Store>;

const submitOf = (body: AsyncIterable<Uint8Array>): SubmitDelivery => ({
  partner: "VOLMACHT-A",
  kind: "full",
  format: "csv",
  profile: "standaard",
  channel: "upload",
  receivedAt: "2025-01-10T09:00:00.000Z",
  body,
});

const rows = Array.from({ length: 10 }, (_, i) =>
  line({
    polis: `A-${i}`,
    relatie: `R${i % 4}`,
    voorletters: "ABCD"[i % 4],
    geboortedatum: `0${(i % 4) + 1}-01-1980`,
  }),
);

/**
 * Several intakes (instances) on one store, coordinated by the intake lease: a short lease (1.5 s) and
 * conditions waited on with a generous budget, never a fixed sleep.
 */
export function runIntakeInstanceCases({ newStore }: { newStore: NewStore }): void {
  const open: Store[] = [];
  const keepers: LeaseKeeper[] = [];
  const stops: Array<() => Promise<void>> = [];
  const fresh = async () => {
    const store = await newStore();
    await store.init();
    await registerPartners(store);
    open.push(store);
    return store;
  };
  const instance = (store: Store, owner: string) => {
    const keeper = createLeaseKeeper({ leases: store.leases, owner, ttlMs: 1500, pollMs: 50 });
    keepers.push(keeper);
    return keeper;
  };
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    for (const k of keepers.splice(0)) k.halt();
    for (const s of open.splice(0)) await s.close();
  });

  it("a delivery submitted to one instance is processed once, by whichever holds the intake lease", async () => {
    const store = await fresh();
    const indexers = [new RecordingIndexer(), new RecordingIndexer()];
    const [a, b] = ["a", "b"].map((owner, i) =>
      createDeliveryIntake({ store, indexer: indexers[i]!, leases: instance(store, owner), sweepMs: 50 }),
    );
    stops.push(a!.close, b!.close);
    const d = await a!.submit(submitOf(csv(...rows)));
    await b!.resume(); // B looks at the same moment
    const done = await b!.whenSettled(d.id);
    expect(done.status).toBe("completed");
    expect(done.counts).toEqual({ rows: 10, accepted: 10, rejected: 0 });
    await Promise.all([a!.idle(), b!.idle()]);
    // One instance indexed the delivery's 4 customers; the other did nothing.
    expect(indexers.map((i) => i.indexed.size).sort()).toEqual([0, 4]);
    expect(indexers.map((i) => i.calls).sort()[0]).toBe(0);
    // Released once the queue was empty: free for the next instance at once.
    expect((await store.leases.get(INTAKE_LEASE))?.expiresAt).toBe(0);
  });

  it("when the instance processing a delivery dies, another takes it over once the lease expires, to the same end state", async () => {
    const reference = await fresh();
    const clean = createDeliveryIntake({ store: reference, indexer: new RecordingIndexer(), batchSize: 3 });
    await clean.whenSettled((await clean.submit(submitOf(csv(...rows)))).id);

    const store = await fresh();
    const dying = new RecordingIndexer();
    dying.beforeIndex = (call) => (call >= 2 ? new Promise<void>(() => {}) : Promise.resolve()); // stuck in batch 2
    const keeperA = instance(store, "a");
    const a = createDeliveryIntake({ store, indexer: dying, batchSize: 3, leases: keeperA, sweepMs: 50 });
    const d = await a.submit(submitOf(csv(...rows)));
    await expect
      .poll(async () => (await store.policyNumbersOfPartner("VOLMACHT-A")).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(3);
    expect((await store.getDelivery(d.id))?.status).toBe("processing");

    // B runs beside A and leaves the delivery alone while A's heartbeat keeps the lease.
    const indexer = new RecordingIndexer();
    const b = createDeliveryIntake({
      store,
      indexer,
      batchSize: 3,
      leases: instance(store, "b"),
      sweepMs: 50,
    });
    stops.push(b.close);
    await b.resume();
    await b.idle();
    expect((await store.leases.get(INTAKE_LEASE))?.owner).toBe("a");
    expect(indexer.calls).toBe(0);

    keeperA.halt(); // A "dies": no heartbeat any more, nothing released
    const done = await b.whenSettled(d.id);
    expect(done.status).toBe("completed");
    expect(done.counts).toEqual({ rows: 10, accepted: 10, rejected: 0 });
    expect(await snapshot(store)).toEqual(await snapshot(reference));
    expect(await store.countCustomers()).toBe(4);
    expect(indexer.indexed.size).toBe(4);
  });
}

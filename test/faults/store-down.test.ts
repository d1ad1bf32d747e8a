import { randomBytes } from "node:crypto";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { type Harness, startHarness } from "../api/support/harness.ts";
import { describeWithEngine } from "../support/engines.ts";
import { registerPartners } from "../support/partners.ts";
import { endState, portfolioCsv } from "./support/end-state.ts";
import { deliverToReference } from "./support/reference-delivery.ts";
import { TcpProxy, until } from "./support/tcp-proxy.ts";

const CSV = portfolioCsv(1200, 11);

describeWithEngine("mongodb", "the MongoDB-compatible server goes away mid-delivery", (url) => {
  const suffix = randomBytes(4).toString("hex");
  const dbName = `kh_fault_${suffix}`;
  const referenceDb = `kh_fault_ref_${suffix}`;
  let proxy: TcpProxy;
  let h: Harness;
  let direct: MongoClient;
  const env = { STORE: "mongodb", MONGODB_TIMEOUT_MS: "800", INGEST_BATCH_ROWS: "200" };

  beforeAll(async () => {
    proxy = await TcpProxy.start(TcpProxy.target(url));
    // The driver's monitor looks for the server every 500 ms while it is away (its default is 10 s), so
    // connection attempts show the outage at a steady pace, whatever the delivery is doing then.
    const viaProxy = `${proxy.url(url).replace(/\/?$/, "/")}?directConnection=true&heartbeatFrequencyMS=500`;
    h = await startHarness(
      { ...env, MONGODB_URL: viaProxy },
      {
        store: new MongoStore({ url: viaProxy, dbName, timeoutMs: 800 }),
        backoff: { baseDelayMs: 50, maxDelayMs: 250 },
      },
    );
    await registerPartners(h.system.services.store);
    direct = new MongoClient(url);
    await direct.connect();
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    for (const name of [dbName, referenceDb]) await direct?.db(name).dropDatabase();
    await direct?.close();
  });

  it("lookups and deliveries answer 503 meanwhile; the delivery resumes to the end state of an uninterrupted run", async () => {
    const admin = await h.token("admin", { sub: "admin-faults" });
    const agent = await h.token("agent", { sub: "agent-faults" });
    const res = await h.call("POST", "/v1/deliveries?partner=VOLMACHT-A&kind=full", {
      token: admin,
      body: CSV,
      headers: { "content-type": "text/csv" },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    // Some batches are written: the delivery is half-way.
    await until(
      // A document read, not the collection's estimate: FerretDB on PostgreSQL estimates from table
      // statistics that lag behind the writes.
      async () => (await direct.db(dbName).collection("customers").findOne({})) !== null,
      "the first customers written",
    );
    proxy.down();
    const downAt = performance.now();
    await until(() => proxy.attempts >= 5, "the service looking for the store again");

    const customerId = (await direct.db(dbName).collection("customers").findOne({}))!._id;
    const lookups: Array<[string, string, unknown]> = [
      ["POST", "/v1/search", { name: "Jansen" }],
      ["GET", `/v1/customers/${customerId}`, undefined],
      ["POST", "/v1/callers", { phone: "0612345678" }],
    ];
    for (const [method, path, json] of lookups) {
      const r = await h.call(method, path, { token: agent, ...(json ? { json } : {}) });
      expect(r.status, path).toBe(503);
      expect(((await r.json()) as { code: string }).code, path).toMatch(/^(STORE|AUDIT)_UNAVAILABLE$/);
    }
    const another = await h.call("POST", "/v1/deliveries?partner=TUSSEN-B&kind=full", {
      token: admin,
      body: CSV,
      headers: { "content-type": "text/csv" },
    });
    expect(another.status).toBe(503);
    expect(await another.json()).toMatchObject({ code: "STORE_UNAVAILABLE" });
    const ready = await h.call("GET", "/health/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { store: { ok: false } } });

    proxy.up();
    const upAt = performance.now();
    const settled = await h.system.services.intake.whenSettled(id);
    const recoveredMs = performance.now() - upAt;
    expect(settled).toMatchObject({ status: "completed", counts: { rejected: 0 } });
    expect((await h.call("GET", "/health/ready")).status).toBe(200);
    expect((await h.call("POST", "/v1/search", { token: agent, json: { name: "Jansen" } })).status).toBe(200);

    // The same file into a store that never went away: the same customers and policies.
    const reference = await startHarness(
      { ...env, MONGODB_URL: url },
      { store: new MongoStore({ url, dbName: referenceDb }) },
    );
    try {
      const refDelivery = await deliverToReference(reference, CSV);
      expect(settled.counts).toEqual(refDelivery.counts);
      const [after, expected] = await Promise.all([
        endState(h.system.services.store),
        endState(reference.system.services.store),
      ]);
      expect(after.length).toBe(expected.length);
      expect(after).toEqual(expected);
    } finally {
      await reference.close();
    }
    const report = await createIndexer({
      store: h.system.services.store,
      engine: h.system.services.engine as never,
    }).reconcile(100_000);
    expect(report).toMatchObject({ ok: true, mismatched: [] });
    console.info(
      `[recovery] mongodb (FerretDB): store away ${Math.round(upAt - downAt)} ms; delivery completed ${Math.round(recoveredMs)} ms after it came back`,
    );
  }, 300_000);
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { loadOrCreateDevKeys, mintDevToken } from "../../src/api/auth/dev-keys.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { EmbeddedSearchEngine } from "../../src/search/embedded-engine.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { startHarness } from "../api/support/harness.ts";
import { type Instance, startInstance } from "../support/instance.ts";
import { endState, portfolioCsv } from "./support/end-state.ts";
import { deliverToReference } from "./support/reference-delivery.ts";
import { until } from "./support/tcp-proxy.ts";

const CSV = portfolioCsv(3000, 23);
const BATCH = "200";

/** The service as `npm start` runs it, on `dataDir`; resolves once it listens. */
const startService = (dataDir: string) =>
  startInstance("killed", {
    DATA_DIR: dataDir,
    DEMO_DATA: "off",
    PURGE_SCHEDULE: "off",
    INGEST_BATCH_ROWS: BATCH,
    // The test polls the delivery; however long it takes here, the admin's limit must not answer 429.
    RATE_LIMIT_ADMIN_PER_MINUTE: "100000",
  });

const dirs: string[] = [];
const children: Instance[] = [];
afterAll(async () => {
  for (const c of children) await c.kill();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("the service killed (SIGKILL) in the middle of a delivery [embedded default]", () => {
  it("started again, it resumes the delivery to the same end state as an uninterrupted run; store and index agree", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kh-killed-"));
    dirs.push(dataDir);
    const first = await startService(dataDir);
    children.push(first);
    const keys = await loadOrCreateDevKeys(dataDir);
    const admin = await mintDevToken(keys, {
      role: "admin",
      sub: "admin-faults",
      issuer: "klantherkenning-dev",
      audience: "klantherkenning",
    });
    const partner = await fetch(`${first.base}/v1/partners/VOLMACHT-A`, {
      method: "PUT",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: "Volmacht A",
        type: "volmacht",
        phase: "live",
        agreementSignedOn: "2020-01-01",
      }),
    });
    expect(partner.status).toBe(200);
    const res = await fetch(`${first.base}/v1/deliveries?partner=VOLMACHT-A&kind=full`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
      body: CSV,
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    // Read the running service's database from outside (WAL: a reader does not disturb the writer).
    const peek = new DatabaseSync(join(dataDir, "klantherkenning.db"), { readOnly: true });
    const state = () => {
      const customers = Number(
        (peek.prepare("SELECT count(*) AS n FROM customers").get() as { n: number }).n,
      );
      const row = peek.prepare("SELECT status FROM deliveries WHERE id = ?").get(id) as
        | { status: string }
        | undefined;
      return { customers, status: row?.status };
    };
    await until(() => state().customers > 0, "the first batches written", 120_000, 5);
    await first.kill();
    const atKill = state();
    peek.close();
    expect(atKill.status).toBe("processing");

    const restartedAt = performance.now();
    const second = await startService(dataDir);
    children.push(second);
    const readyMs = performance.now() - restartedAt;
    type Counts = { rows: number; accepted: number; rejected: number };
    let resumed: { status: string; counts: Counts } | undefined;
    await until(
      async () => {
        const res = await fetch(`${second.base}/v1/deliveries/${id}`, {
          headers: { authorization: `Bearer ${admin}` },
        });
        // 503 while the restarted service is still composing; then the delivery as it stands.
        if (res.status !== 200) return false;
        const d = (await res.json()) as { status: string; counts: Counts };
        if (d.status === "completed") resumed = d;
        return resumed !== undefined;
      },
      "the resumed delivery to complete",
      240_000,
      50,
    );
    const recoveredMs = performance.now() - restartedAt;
    await second.stop();

    const reference = await startHarness({ INGEST_BATCH_ROWS: BATCH });
    try {
      const refDelivery = await deliverToReference(reference, CSV);
      expect(resumed?.counts).toEqual(refDelivery.counts);
      const store = new SqliteStore({ dataDir });
      await store.init();
      const engine = new EmbeddedSearchEngine({ dataDir });
      await engine.init();
      try {
        expect(await endState(store)).toEqual(await endState(reference.system.services.store));
        const report = await createIndexer({ store, engine }).reconcile(100_000);
        expect(report).toMatchObject({ ok: true, mismatched: [] });
        expect(report.storeCount).toBe(await reference.system.services.store.countCustomers());
      } finally {
        await engine.close();
        await store.close();
      }
    } finally {
      await reference.close();
    }
    console.info(
      `[recovery] SIGKILL with ${atKill.customers} customers written: listening again after ${Math.round(readyMs)} ms, delivery completed ${Math.round(recoveredMs)} ms after the restart`,
    );
  }, 400_000);
});

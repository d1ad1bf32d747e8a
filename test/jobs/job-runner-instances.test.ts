import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeaseKeeper } from "../../src/cluster/lease-keeper.ts";
import type { ErasureReceipt } from "../../src/domain/erasure-receipt.ts";
import { createJobRunner, jobLease } from "../../src/jobs/job-runner.ts";
import { createLogger } from "../../src/logger.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";

/** Two job runners (instances) on one store: a job type runs on one at a time, and once for both. */
describe("jobs across instances", () => {
  let dir: string;
  let store: SqliteStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kh-jobs-"));
    store = new SqliteStore({ dataDir: dir });
    await store.init();
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  // A purge's receipt as the job keeps it; what it counts does not matter here.
  const receipt = (): ErasureReceipt => ({
    kind: "purge",
    dryRun: false,
    stores: [],
    indexes: [],
    oldestDeliveryHeld: null,
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(0).toISOString(),
  });
  const runner = (owner: string, reindexAll: () => Promise<void>, purge = async () => {}) =>
    createJobRunner({
      store,
      indexer: { reindexAll },
      purge: async () => {
        await purge();
        return receipt();
      },
      logger: createLogger("silent"),
      leases: createLeaseKeeper({ leases: store.leases, owner, ttlMs: 2000, pollMs: 20 }),
    });

  it("a reindex asked of two instances while one runs is run once, the other answered by it", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const reindex = async () => {
      runs++;
      await gate;
    };
    const [a, b] = [runner("a", reindex), runner("b", reindex)];
    const first = await a.submit("reindex", "admin-a");
    await expect.poll(async () => (await store.getJob(first.id))?.status).toBe("running");
    const second = await b.submit("reindex", "admin-b");
    await expect.poll(async () => (await store.leases.get(jobLease("reindex")))?.note).toBe(first.id);
    release();
    await Promise.all([a.onIdle(), b.onIdle()]);
    expect(runs).toBe(1);
    expect(await store.getJob(first.id)).toMatchObject({ status: "completed" });
    expect(await store.getJob(second.id)).toMatchObject({ status: "completed", coveredBy: first.id });
  });

  it("a job asked for after the last run of its type ended runs again; another type runs meanwhile", async () => {
    let reindexes = 0;
    let purges = 0;
    const a = runner(
      "a",
      async () => void reindexes++,
      async () => void purges++,
    );
    const b = runner(
      "b",
      async () => void reindexes++,
      async () => void purges++,
    );
    const first = await a.submit("reindex");
    await a.onIdle();
    const purge = await a.submit("purge");
    const again = await b.submit("reindex");
    await Promise.all([a.onIdle(), b.onIdle()]);
    expect(reindexes).toBe(2);
    expect(purges).toBe(1);
    expect((await store.getJob(again.id))?.coveredBy).toBeUndefined();
    expect((await store.getJob(purge.id))?.status).toBe("completed");
    expect((await store.getJob(first.id))?.status).toBe("completed");
  });
});

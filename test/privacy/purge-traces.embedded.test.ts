import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../api/support/harness.ts";
import { deliver, runJob, searchIds } from "./support/api.ts";
import { monthsAgo, NEWER_ROWS, OTHERS_OLD, PERSON_ROWS, PERSON_TRACES, tracesIn } from "./support/person.ts";

describe("a purge leaves no trace of a purged person under DATA_DIR [embedded default]", () => {
  let h: Harness;
  let personId: string;
  beforeAll(async () => {
    h = await startHarness();
    await deliver(h, "VOLMACHT-A", monthsAgo(25), [...PERSON_ROWS, ...OTHERS_OLD]);
    await deliver(h, "VOLMACHT-B", monthsAgo(1), NEWER_ROWS);
    // A rebuilt index: she is in the generation dropped by it as well as in the live one.
    expect((await runJob(h, { type: "reindex" })).status).toBe("completed");
    // Looked up, and shown: the audit log and the search thread's document cache hold her too.
    personId = (await searchIds(h, { name: "Quirijnsdochter", birthDate: "17-04-1961" }))[0]!;
    const agent = await h.token("agent", { sub: "agent-privacy" });
    expect((await h.call("GET", `/v1/customers/${personId}`, { token: agent })).status).toBe(200);
    expect((await tracesIn(h.dataDir)).length).toBeGreaterThan(0);
  });
  afterAll(() => h?.close());

  it("the purge job's receipt counts what went, per store and index, and its checks found nothing", async () => {
    const job = await runJob(h, { type: "purge" });
    expect(job).toMatchObject({ type: "purge", status: "completed" });
    const receipt = job.receipt!;
    expect(receipt).toMatchObject({ kind: "purge", dryRun: false });
    expect(receipt.stores).toEqual([
      expect.objectContaining({
        name: "sqlite",
        counts: expect.objectContaining({
          deliveries: 1,
          files: 1,
          customersDeleted: 1,
          customersUpdated: 1,
        }),
        scrub: expect.objectContaining({ ok: true, details: expect.objectContaining({ walBytes: 0 }) }),
      }),
    ]);
    expect(receipt.indexes).toEqual([
      expect.objectContaining({
        name: "embedded",
        counts: expect.objectContaining({ documentsRemoved: 1 }),
        scrub: expect.objectContaining({ ok: true }),
      }),
    ]);
    for (const part of [...receipt.stores, ...receipt.indexes])
      for (const v of part.verification) expect(v, v.query).toMatchObject({ found: 0 });
    expect(receipt.stores[0]!.verification[0]!.query).toContain(receipt.cutoff);
    // The newer delivery is the oldest held now.
    expect(new Date(receipt.oldestDeliveryHeld!).getTime()).toBeGreaterThan(
      new Date(receipt.cutoff!).getTime(),
    );
  });

  it("no file under DATA_DIR holds her name, birth date, old address, phone or e-mail, in any form", async () => {
    expect(await tracesIn(h.dataDir)).toEqual([]);
    expect(await searchIds(h, { name: "Quirijnsdochter" })).toEqual([]);
    // Whoever lived on is still found.
    expect(await searchIds(h, { name: "Jansen", birthDate: "21-07-1980" })).toHaveLength(1);
  });

  it("nor once the service has stopped (its last checkpoints written)", async () => {
    const dir = h.dataDir;
    await h.system.close();
    expect(await tracesIn(dir, PERSON_TRACES)).toEqual([]);
    // close() removes the directory; the harness's own close must not close twice.
    const { rm } = await import("node:fs/promises");
    await rm(dir, { recursive: true, force: true });
    h = undefined as unknown as Harness;
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../api/support/harness.ts";
import { deliver, runJob, searchIds } from "./support/api.ts";
import { monthsAgo, NEWER_ROWS, OTHERS_OLD, PERSON_ROWS } from "./support/person.ts";

describe("purge as a dry run (POST /v1/jobs {type: purge, dryRun: true})", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await deliver(h, "VOLMACHT-A", monthsAgo(25), [...PERSON_ROWS, ...OTHERS_OLD]);
    await deliver(h, "VOLMACHT-B", monthsAgo(1), NEWER_ROWS);
  });
  afterAll(() => h?.close());

  it("answers the receipt of what would go and deletes nothing; the real purge then deletes just that", async () => {
    const dry = await runJob(h, { type: "purge", dryRun: true });
    expect(dry).toMatchObject({
      status: "completed",
      dryRun: true,
      receipt: { kind: "purge", dryRun: true },
    });
    const wouldGo = dry.receipt!.stores[0]!.counts;
    expect(wouldGo).toEqual({
      deliveries: 1,
      files: 1,
      customersDeleted: 1,
      customersUpdated: 1,
      policiesDeleted: 3,
      policiesUpdated: 0,
    });
    // What is there now: the one expired delivery.
    expect(dry.receipt!.stores[0]!.verification).toEqual([expect.objectContaining({ found: 1 })]);
    expect(dry.receipt!.stores[0]!.scrub).toBeUndefined();
    expect(await searchIds(h, { name: "Quirijnsdochter", birthDate: "17-04-1961" })).toHaveLength(1);

    const real = await runJob(h, { type: "purge" });
    const went = real.receipt!.stores[0]!.counts;
    for (const k of [
      "deliveries",
      "files",
      "customersDeleted",
      "customersUpdated",
      "policiesDeleted",
    ] as const)
      expect(went[k], k).toBe(wouldGo[k]);
    expect(real.receipt!.stores[0]!.verification).toEqual([expect.objectContaining({ found: 0 })]);
    expect(await searchIds(h, { name: "Quirijnsdochter", birthDate: "17-04-1961" })).toEqual([]);
  });

  it("refuses dryRun on a reindex, and a dryRun that is not a boolean, with 400 naming the field", async () => {
    const admin = await h.token("admin");
    for (const json of [
      { type: "reindex", dryRun: true },
      { type: "purge", dryRun: "yes" },
    ]) {
      const res = await h.call("POST", "/v1/jobs", { token: admin, json });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: "VALIDATION_FAILED",
        errors: [{ path: "body.dryRun" }],
      });
    }
  });
});

import { afterEach, expect, it } from "vitest";
import { createDeliveryIntake } from "../../src/ingest/delivery-intake.ts";
import { purgeExpired } from "../../src/retention/purge.ts";
import { planPurge } from "../../src/retention/purge-plan.ts";
import type { Store } from "../../src/store/store.ts";
import { registerPartners } from "../support/partners.ts";
import { csv, line, RecordingIndexer } from "./fixtures.ts";

/** Retention behaviour, run over every store adapter. */
export function runPurgeCases({ newStore }: { newStore: () => Promise<Store> }): void {
  const open: Store[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  it("deletes an expired delivery, its file and what only it carried; confirmed records live on", async () => {
    const store = await newStore();
    await store.init();
    await registerPartners(store);
    open.push(store);
    const indexer = new RecordingIndexer();
    const intake = createDeliveryIntake({ store, indexer });
    const submit = async (kind: "full" | "mutation", receivedAt: string, ...rows: string[]) =>
      intake.whenSettled(
        (
          await intake.submit({
            partner: "VOLMACHT-A",
            kind,
            format: "csv",
            profile: "standaard",
            channel: "upload",
            receivedAt,
            body: csv(...rows),
          })
        ).id,
      );
    const old = await submit(
      "full",
      "2023-06-01T09:00:00.000Z",
      line({ polis: "A-1", relatie: "R1" }),
      line({
        polis: "A-2",
        relatie: "R2",
        voorletters: "M.",
        achternaam: "Jansen",
        geboortedatum: "02-02-1990",
      }),
    );
    // A newer mutation restates A-1 unchanged: it confirms A-1 and its holder.
    const newer = await submit("mutation", "2025-06-01T09:00:00.000Z", line({ polis: "A-1", relatie: "R1" }));
    const [a1] = await store.findPoliciesByNumber("A-1");
    const [a2] = await store.findPoliciesByNumber("A-2");

    // The dry run reads only: it counts what the purge then deletes, and deletes nothing itself.
    const plan = await planPurge(store, "2024-01-01T00:00:00.000Z");
    expect(plan).toEqual({
      deliveries: 1,
      files: 1,
      customersDeleted: 1,
      customersUpdated: 1,
      policiesDeleted: 1,
      policiesUpdated: 1,
    });
    expect(await store.getDelivery(old.id)).not.toBeNull();
    expect(await store.findPoliciesByNumber("A-2")).toHaveLength(1);

    const result = await purgeExpired({
      store,
      indexer,
      retentionMonths: 24,
      now: new Date("2026-01-01T00:00:00.000Z"),
    });
    expect(result).toMatchObject({
      deliveries: 1,
      customersDeleted: 1,
      customersUpdated: 1,
      policiesDeleted: 1,
      policiesUpdated: 1,
    });

    expect(await store.getDelivery(old.id)).toBeNull();
    await expect(async () => {
      for await (const _ of store.readFile(old.id)) break;
    }).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await store.findPoliciesByNumber("A-2")).toEqual([]);
    expect(await store.getCustomer(a2!.customerId)).toBeNull();
    expect(indexer.removed.has(a2!.customerId)).toBe(true);

    const [kept] = await store.findPoliciesByNumber("A-1");
    expect(kept?.versions).toEqual([
      expect.objectContaining({ validFrom: "2024-01-01", deliveryIds: [newer.id] }),
    ]);
    expect((await store.getCustomer(a1!.customerId))?.deliveryIds).toEqual([newer.id]);
    expect(await store.getDelivery(newer.id)).not.toBeNull();
    expect(indexer.indexed.has(a1!.customerId)).toBe(true);

    // Nothing left to do on a second run.
    expect(
      (await purgeExpired({ store, indexer, retentionMonths: 24, now: new Date("2026-01-01T00:00:00.000Z") }))
        .deliveries,
    ).toBe(0);
  });
}

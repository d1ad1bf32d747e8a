import type { Db } from "mongodb";
import type { Policy } from "../domain/model.ts";
import { insertReportingDuplicates } from "./mongo-swap.ts";

/** A policy's `_id`: its natural key, so writes can go by `_id` (the unique index guards it too). */
export const policyId = (partner: string, policyNumber: string) => JSON.stringify([partner, policyNumber]);

type PolicyDoc = Policy & { _id: string };
const MARK = "policy-ids";
const HOLDING = "policies_migrating";
const BATCH = 1000;

/**
 * Gives policies of the earliest layout (a generated ObjectId as `_id`) their natural-key `_id`, once:
 * reads and writes go by `_id`, and such a policy was neither found nor writable (its natural key was
 * taken by the old document). There are no transactions, so each new document is held in a side
 * collection until it is in place; a start after a crash finishes the held ones first.
 */
export async function migratePolicyIds(db: Db): Promise<void> {
  const meta = db.collection<{ _id: string; done?: boolean }>("meta");
  if ((await meta.findOne({ _id: MARK }))?.done) return;
  const policies = db.collection<{ _id: unknown } & Policy>("policies");
  await finishHeld(db);
  for (;;) {
    const old = await policies
      .find({ _id: { $type: "objectId" } })
      .limit(BATCH)
      .toArray();
    if (old.length === 0) break;
    const docs = old.map(({ _id, ...p }) => ({ ...p, _id: policyId(p.partner, p.policyNumber) }));
    await insertReportingDuplicates(db.collection<PolicyDoc>(HOLDING), docs);
    await finishHeld(db);
  }
  await meta.replaceOne({ _id: MARK }, { done: true }, { upsert: true });
}

/** Puts every held policy in place of the document holding its natural key, then lets it go. */
async function finishHeld(db: Db): Promise<void> {
  const holding = db.collection<PolicyDoc>(HOLDING);
  const policies = db.collection<PolicyDoc>("policies");
  for (;;) {
    const held = await holding.find({}).limit(BATCH).toArray();
    if (held.length === 0) return;
    for (const p of held)
      await policies.deleteOne({ partner: p.partner, policyNumber: p.policyNumber, _id: { $ne: p._id } });
    // A duplicate is a policy already in place (a run cut short after its insert).
    await insertReportingDuplicates(policies, held);
    await holding.deleteMany({ _id: { $in: held.map((p) => p._id) } });
  }
}

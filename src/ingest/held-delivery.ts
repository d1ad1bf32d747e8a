import { AppError } from "../domain/errors.ts";
import type { Delivery } from "../domain/model.ts";
import type { Indexer } from "../indexer/indexer.ts";
import { removeDeliveryShare } from "../retention/remove-delivery.ts";
import type { Store } from "../store/store.ts";
import { endMissingPolicies } from "./end-missing.ts";

/**
 * An admin's decision on a held full delivery (CONFLICT unless it is held). `rejected`: the delivery
 * is undone whole and `failed`. `released`: the policies it lacks end as of its date and it is
 * `completed` — refused while a later full delivery of the partner is completed or held, which
 * describes the portfolio better. Callers run it in the delivery queue.
 */
export async function decideHeldDelivery(
  deps: { store: Store; indexer: Indexer; batchSize: number; now: () => Date },
  id: string,
  by: string,
  decision: "released" | "rejected",
): Promise<Delivery> {
  const { store, indexer } = deps;
  const delivery = await store.getDelivery(id);
  if (!delivery) throw new AppError("NOT_FOUND", `delivery ${id} not found`);
  if (delivery.status !== "held" || !delivery.hold)
    throw new AppError("CONFLICT", `delivery ${id} is ${delivery.status}, not held`);
  const decided = { ...delivery.hold, decision, decidedBy: by, decidedAt: deps.now().toISOString() };
  if (decision === "rejected") {
    await removeDeliveryShare({ store, indexer, deliveryId: id });
    await store.updateDelivery(id, {
      status: "failed",
      hold: decided,
      failure: `rejected by ${by}: ${delivery.hold.reason}`,
      failureCode: "DELIVERY_REJECTED",
    });
  } else {
    const later = (await store.listDeliveries({ partner: delivery.partner })).find(
      (d) =>
        d.kind === "full" &&
        d.id !== id &&
        d.receivedAt > delivery.receivedAt &&
        (d.status === "completed" || d.status === "held"),
    );
    if (later)
      throw new AppError(
        "CONFLICT",
        `a later full delivery of ${delivery.partner} (${later.id}) is ${later.status}: release or reject that one instead`,
      );
    const seen = new Set((await store.policyKeysByDelivery(id)).map((k) => k.policyNumber));
    const ended = await endMissingPolicies(deps, delivery, delivery.hold.endDate, seen, true);
    const quality = delivery.quality ? { ...delivery.quality, ended } : undefined;
    await store.updateDelivery(id, { status: "completed", hold: decided, ...(quality ? { quality } : {}) });
  }
  return (await store.getDelivery(id))!;
}

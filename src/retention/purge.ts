import { subMonths } from "date-fns/subMonths";
import type { Indexer } from "../indexer/indexer.ts";
import type { Store } from "../store/store.ts";
import { type RemovalCounts, removeDeliveryShare } from "./remove-delivery.ts";

/** What a purge run deleted. */
export interface PurgeResult extends RemovalCounts {
  deliveries: number;
  cutoff: string;
}

/**
 * Retention: deletes every delivery received more than `retentionMonths` before `now`, its file, and
 * the data only it carried; records confirmed by a newer delivery live on with that delivery.
 * Oldest first; safe to run again after an interruption.
 */
export async function purgeExpired(opts: {
  store: Store;
  indexer: Indexer;
  retentionMonths: number;
  now?: Date;
  onProgress?: (done: number, total: number) => void;
  /** Told the ids of the customers deleted, delivery by delivery. */
  onCustomersDeleted?: (ids: readonly string[]) => void;
}): Promise<PurgeResult> {
  const { store, indexer } = opts;
  const cutoff = subMonths(opts.now ?? new Date(), opts.retentionMonths).toISOString();
  const expired = await store.listDeliveries({ receivedBefore: cutoff });
  const result: PurgeResult = {
    deliveries: 0,
    cutoff,
    customersDeleted: 0,
    customersUpdated: 0,
    policiesDeleted: 0,
    policiesUpdated: 0,
  };
  opts.onProgress?.(0, expired.length);
  for (const delivery of expired) {
    const counts = await removeDeliveryShare({
      store,
      indexer,
      deliveryId: delivery.id,
      ...(opts.onCustomersDeleted ? { onCustomersDeleted: opts.onCustomersDeleted } : {}),
    });
    result.customersDeleted += counts.customersDeleted;
    result.customersUpdated += counts.customersUpdated;
    result.policiesDeleted += counts.policiesDeleted;
    result.policiesUpdated += counts.policiesUpdated;
    // The record goes last: if we stop halfway, the next run finds the delivery and finishes it.
    await store.deleteFile(delivery.id);
    await store.deleteDelivery(delivery.id);
    result.deliveries++;
    opts.onProgress?.(result.deliveries, expired.length);
  }
  return result;
}

import { subMonths } from "date-fns/subMonths";
import type { ErasureReceipt, ReceiptPart, Verification } from "../domain/erasure-receipt.ts";
import type { Indexer } from "../indexer/indexer.ts";
import type { Logger } from "../logger.ts";
import type { SearchEngine } from "../search/search-engine.ts";
import type { Store } from "../store/store.ts";
import { purgeExpired } from "./purge.ts";
import { planPurge } from "./purge-plan.ts";

/** What a purge run needs: the store, the indexer and engine behind it, and the retention periods. */
export interface PurgeRunDeps {
  store: Store;
  indexer: Indexer & { pruneRejections?: (before?: string) => Promise<number> };
  engine: Pick<SearchEngine, "name" | "count" | "get" | "expungeDeleted">;
  retentionMonths: number;
  auditRetentionMonths: number;
  now?: () => Date;
  logger?: Pick<Logger, "info" | "warn">;
}

/** Deleted customers whose search documents are looked up afterwards, at most. */
const INDEX_SAMPLE = 1_000;

/**
 * The purge job: retention applied (purgeExpired), the audit log's own retention, rejection-log lines
 * of customers gone, then the store and the engine made to keep no deleted bytes, and checked. Answers
 * the erasure receipt. A dry run reads only and answers what would go.
 */
export async function runPurge(
  deps: PurgeRunDeps,
  options: { dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<ErasureReceipt> {
  const { store, indexer, engine } = deps;
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const cutoff = subMonths(startedAt, deps.retentionMonths).toISOString();

  if (options.dryRun) {
    const plan = await planPurge(store, cutoff);
    options.onProgress?.(plan.deliveries, plan.deliveries);
    const { deliveries, files, customersDeleted, customersUpdated, policiesDeleted, policiesUpdated } = plan;
    return {
      kind: "purge",
      dryRun: true,
      cutoff,
      stores: [
        {
          name: store.kind,
          counts: { deliveries, files, customersDeleted, customersUpdated, policiesDeleted, policiesUpdated },
          verification: [await store.verifyRetention(cutoff)],
        },
      ],
      indexes: [
        {
          name: engine.name,
          counts: { documentsRemoved: customersDeleted, documentsReindexed: customersUpdated },
          verification: [],
        },
      ],
      oldestDeliveryHeld: await oldestDelivery(store),
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
    };
  }

  const sample: string[] = [];
  const result = await purgeExpired({
    store,
    indexer,
    retentionMonths: deps.retentionMonths,
    now: startedAt,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    onCustomersDeleted: (ids) => {
      for (const id of ids) if (sample.length < INDEX_SAMPLE) sample.push(id);
    },
  });
  const auditRecordsDeleted = await store.deleteAuditBefore(
    subMonths(startedAt, deps.auditRetentionMonths).toISOString(),
  );
  const rejectionsRemoved = (await indexer.pruneRejections?.(cutoff)) ?? 0;
  const storeScrub = await store.scrub();
  const indexScrub = await engine.expungeDeleted();

  const storePart: ReceiptPart = {
    name: store.kind,
    counts: {
      deliveries: result.deliveries,
      files: result.deliveries,
      customersDeleted: result.customersDeleted,
      customersUpdated: result.customersUpdated,
      policiesDeleted: result.policiesDeleted,
      policiesUpdated: result.policiesUpdated,
      auditRecordsDeleted,
    },
    scrub: storeScrub,
    verification: [await store.verifyRetention(cutoff)],
  };
  const indexPart: ReceiptPart = {
    name: engine.name,
    counts: {
      documentsRemoved: result.customersDeleted,
      documentsReindexed: result.customersUpdated,
      rejectionsRemoved,
    },
    scrub: indexScrub,
    verification: await indexVerification(deps, sample, result.customersDeleted),
  };
  const receipt: ErasureReceipt = {
    kind: "purge",
    dryRun: false,
    cutoff,
    stores: [storePart],
    indexes: [indexPart],
    oldestDeliveryHeld: await oldestDelivery(store),
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
  };
  const unclean = [storeScrub, indexScrub].filter((s) => !s.ok);
  const found = [...storePart.verification, ...indexPart.verification].filter((v) => v.found > 0);
  if (unclean.length > 0 || found.length > 0)
    deps.logger?.warn({ unclean, found }, "purge finished, but not everything deleted is gone");
  return receipt;
}

/** Search documents of deleted customers still found, and documents beyond the store's customers. */
async function indexVerification(
  deps: PurgeRunDeps,
  sample: readonly string[],
  deleted: number,
): Promise<Verification[]> {
  let present = 0;
  for (const id of sample) if (await deps.engine.get(id)) present++;
  const [indexed, stored] = await Promise.all([deps.engine.count(), deps.store.countCustomers()]);
  return [
    { query: `get the documents of ${sample.length} of the ${deleted} customers deleted`, found: present },
    {
      query: "count of documents in the index beyond the customers in the store",
      found: Math.max(0, indexed - stored),
    },
  ];
}

/** receivedAt of the oldest delivery held, or null. */
export async function oldestDelivery(store: Store): Promise<string | null> {
  const [oldest] = await store.listDeliveries({});
  return oldest?.receivedAt ?? null;
}

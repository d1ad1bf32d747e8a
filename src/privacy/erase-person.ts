import type { ErasureReceipt } from "../domain/erasure-receipt.ts";
import { matchKeys } from "../domain/identity.ts";
import type { CanonicalRow, Customer, Policy } from "../domain/model.ts";
import type { Indexer } from "../indexer/indexer.ts";
import type { Logger } from "../logger.ts";
import { oldestDelivery } from "../retention/purge-run.ts";
import type { SearchEngine } from "../search/search-engine.ts";
import type { Store } from "../store/store.ts";
import { countRows, redactDelivery } from "./redact-delivery.ts";

/** What an erasure needs: the store, the indexer and engine behind it. */
export interface ErasureDeps {
  store: Store;
  indexer: Pick<Indexer, "removeCustomers"> & { pruneRejections?: (before?: string) => Promise<number> };
  engine: Pick<SearchEngine, "name" | "get" | "expungeDeleted">;
  now?: () => Date;
  logger?: Pick<Logger, "info" | "warn">;
}

/** Whom to erase, and what stands for them in the audit log afterwards. */
export interface ErasureSubject {
  customerId?: string;
  tombstone: string;
}

/**
 * Which delivered rows are this person's: a row whose identity keys the customer holds (every row
 * resolved to a customer gave it the key it was resolved by), or, for a customer without keys, a row
 * of one of their policies.
 */
export function rowsOf(customer: Customer, policies: readonly Policy[]): (row: CanonicalRow) => boolean {
  const keys = new Set(customer.matchKeys);
  const numbers = new Set(policies.map((p) => `${p.partner}\u0000${p.policyNumber}`));
  return (row) => {
    const rowKeys = matchKeys(row);
    if (rowKeys.some((k) => keys.has(k))) return true;
    return (
      (keys.size === 0 || rowKeys.length === 0) && numbers.has(`${row.partner}\u0000${row.policyNumber}`)
    );
  };
}

/**
 * Erases one person (AVG art. 17): their rows taken out of every stored delivered file that carried
 * them (the file's sha256 kept, so the same file again is still a duplicate), their id replaced by
 * the tombstone in the audit log, their policies and customer record deleted from the store, their
 * document from the index, their rejection-log lines gone; then the store and the engine scrubbed as
 * after a purge, and checked. The customer record goes last: an erasure cut short is run again to
 * the same end. Answers the erasure receipt.
 */
export async function erasePerson(
  deps: ErasureDeps,
  subject: ErasureSubject,
  onProgress?: (done: number, total: number) => void,
): Promise<ErasureReceipt> {
  const { store, indexer, engine } = deps;
  const now = deps.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const id = subject.customerId;
  const customer = id ? await store.getCustomer(id) : null;
  const policies = customer ? await store.policiesOfCustomers([customer.customerId]) : [];
  const belongs = customer ? rowsOf(customer, policies) : () => false;
  const deliveryIds = [
    ...new Set([...(customer?.deliveryIds ?? []), ...policies.flatMap((p) => p.deliveryIds)]),
  ].sort();

  let rowsRedacted = 0;
  let filesRedacted = 0;
  const filesSkipped: string[] = [];
  onProgress?.(0, deliveryIds.length);
  for (const [i, deliveryId] of deliveryIds.entries()) {
    const delivery = await store.getDelivery(deliveryId);
    if (delivery) {
      const r = await redactDelivery(store, delivery, belongs);
      if (r.skipped) filesSkipped.push(`${deliveryId} (${r.skipped})`);
      if (r.rows > 0) {
        rowsRedacted += r.rows;
        filesRedacted++;
        await store.updateDelivery(deliveryId, { redactedRows: (delivery.redactedRows ?? 0) + r.rows });
      }
    }
    onProgress?.(i + 1, deliveryIds.length);
  }

  const auditReferences = id ? await store.replaceAuditCustomer(id, subject.tombstone) : 0;
  if (customer) {
    await store.deletePolicies(policies.map((p) => ({ partner: p.partner, policyNumber: p.policyNumber })));
    await store.deleteCustomers([customer.customerId]);
    await indexer.removeCustomers([customer.customerId]);
  }
  const rejectionsRemoved = (await indexer.pruneRejections?.()) ?? 0;
  const storeScrub = await store.scrub();
  const indexScrub = await engine.expungeDeleted();

  let rowsLeft = 0;
  for (const deliveryId of deliveryIds) {
    const delivery = await store.getDelivery(deliveryId);
    if (delivery) rowsLeft += await countRows(store, delivery, belongs);
  }
  const receipt: ErasureReceipt = {
    kind: "erasure",
    dryRun: false,
    tombstone: subject.tombstone,
    stores: [
      {
        name: store.kind,
        counts: {
          customersDeleted: customer ? 1 : 0,
          policiesDeleted: policies.length,
          filesRedacted,
          rowsRedacted,
          filesNotRedacted: filesSkipped.length,
          auditReferencesReplaced: auditReferences,
        },
        scrub: storeScrub,
        verification: [
          { query: "the customer record", found: id && (await store.getCustomer(id)) ? 1 : 0 },
          {
            query: "policies held by the customer",
            found: id ? (await store.policiesOfCustomers([id])).length : 0,
          },
          {
            query: "audit records naming the customer",
            found: id ? (await store.queryAudit({ customerId: id, limit: 10_000 })).length : 0,
          },
          {
            query: `rows of the customer in the ${deliveryIds.length} delivered files that carried them`,
            found: rowsLeft,
          },
        ],
      },
    ],
    indexes: [
      {
        name: engine.name,
        counts: { documentsRemoved: customer ? 1 : 0, rejectionsRemoved },
        scrub: indexScrub,
        verification: [{ query: "get the customer's document", found: id && (await engine.get(id)) ? 1 : 0 }],
      },
    ],
    oldestDeliveryHeld: await oldestDelivery(store),
    startedAt,
    finishedAt: now().toISOString(),
  };
  if (filesSkipped.length > 0)
    deps.logger?.warn(
      { tombstone: subject.tombstone, files: filesSkipped },
      "erasure left files it could not redact",
    );
  return receipt;
}

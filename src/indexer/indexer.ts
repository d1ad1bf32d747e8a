/** Agreement between store and index: counts and a sample of documents compared field by field. */
export interface ReconcileReport {
  storeCount: number;
  indexCount: number;
  sampled: number;
  mismatched: string[];
  ok: boolean;
}

/**
 * Projects the system of record into the search engine: incrementally after each delivery, and as a
 * full rebuild behind an atomic alias swap on demand.
 */
export interface Indexer {
  /** (Re)indexes these customers from the store; resolves when they are searchable. */
  indexCustomers(customerIds: readonly string[]): Promise<void>;
  /** Removes customers that no longer exist in the store. */
  removeCustomers(customerIds: readonly string[]): Promise<void>;
  /** Rebuilds the whole index from the store into a new index and swaps it in. */
  reindexAll(onProgress?: (done: number, total: number) => void): Promise<void>;
  reconcile(sampleSize?: number): Promise<ReconcileReport>;
}

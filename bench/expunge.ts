/**
 * What expunging deleted documents costs on Elasticsearch/OpenSearch, against a full rebuild:
 * `node bench/expunge.ts [documents=100000] [deletedPercent=1]` with OPENSEARCH_URL and/or
 * ELASTICSEARCH_URL set (`npm run bench -- expunge`). Per engine: `documents` customer documents
 * indexed into a fresh index (prefix `bench-expunge-…`), `deletedPercent` % of them removed, then
 * `expungeDeleted` (wait for the retention leases, flush, force-merge of deletes), timed in its parts;
 * then the same index rebuilt whole behind the alias (what a reindex does) for comparison. The index is
 * dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { toCustomerDoc } from "../src/mappings/customer-doc.ts";
import { createElasticsearchEngine, createOpenSearchEngine } from "../src/search/elastic-engine.ts";
import type { CustomerDoc } from "../src/search/search-engine.ts";
import { customer, policyOf } from "../test/indexer/fixtures.ts";

const [documents = 100_000, deletedPercent = 1] = process.argv.slice(2).map(Number);
const engines = [
  ["opensearch", process.env.OPENSEARCH_URL, createOpenSearchEngine],
  ["elasticsearch", process.env.ELASTICSEARCH_URL, createElasticsearchEngine],
] as const;
const BATCH = 1000;
const docs = (from: number, to: number): CustomerDoc[] =>
  Array.from({ length: to - from }, (_, i) =>
    toCustomerDoc(customer(from + i), [policyOf(from + i)], "2026-12-07"),
  );

for (const [name, url, create] of engines) {
  if (!url) {
    console.log(`${name}: skipped (no URL)`);
    continue;
  }
  const engine = create(url, { prefix: `bench-expunge-${randomBytes(3).toString("hex")}-` });
  try {
    await engine.init();
    let t = performance.now();
    for (let i = 0; i < documents; i += BATCH) await engine.upsert(docs(i, Math.min(documents, i + BATCH)));
    await engine.refresh();
    const indexSeconds = (performance.now() - t) / 1000;
    const step = Math.max(1, Math.round(100 / deletedPercent));
    const gone: string[] = [];
    for (let i = 0; i < documents; i += step) gone.push(customer(i).customerId);
    for (let i = 0; i < gone.length; i += BATCH) await engine.remove(gone.slice(i, i + BATCH));
    await engine.refresh();
    t = performance.now();
    const scrub = await engine.expungeDeleted();
    const expungeSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const rebuild = await engine.beginRebuild();
    const removed = new Set(gone);
    for (let i = 0; i < documents; i += BATCH) {
      const batch = docs(i, Math.min(documents, i + BATCH)).filter((d) => !removed.has(d.customerId));
      await rebuild.upsert(batch);
    }
    await rebuild.commit();
    const rebuildSeconds = (performance.now() - t) / 1000;
    console.log(
      JSON.stringify({
        engine: name,
        documents,
        deleted: gone.length,
        indexSeconds: Number(indexSeconds.toFixed(1)),
        expungeSeconds: Number(expungeSeconds.toFixed(1)),
        scrub,
        rebuildSeconds: Number(rebuildSeconds.toFixed(1)),
      }),
    );
  } finally {
    await engine.dropAll();
    await engine.close();
  }
}

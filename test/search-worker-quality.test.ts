import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomerSearch } from "../src/search/customer-search-service.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import { createWorkerCustomerSearch, WorkerSearchEngine } from "../src/search/worker-engine.ts";
import { portfolioDocs } from "./quality/portfolio.ts";
import { buildQuerySet } from "./quality/query-set.ts";

// The quality suite's portfolio and noisy queries; the worker must give the very same answers.
const docs = portfolioDocs(10_000, 20261125);
const queries = buildQuerySet(docs, 7, 50);

describe("customer search on the worker thread answers exactly as in-thread", () => {
  const local = new EmbeddedSearchEngine({ dataDir: ":memory:" });
  const worker = new WorkerSearchEngine({ dataDir: ":memory:" });
  beforeAll(async () => {
    await Promise.all([local.init(), worker.init()]);
    for (let i = 0; i < docs.length; i += 500) {
      const batch = docs.slice(i, i + 500);
      await Promise.all([local.upsert(batch), worker.upsert(batch)]);
    }
  }, 120_000);
  afterAll(() => Promise.all([local.close(), worker.close()]));

  it(`ranks, scores and explains all ${queries.length} quality queries and phone lookups identically`, async () => {
    const inThread = createCustomerSearch({ engine: local });
    const onWorker = createWorkerCustomerSearch(worker);
    const strip = (r: { results: unknown[] }) => r.results;
    expect(queries.length).toBeGreaterThan(300);
    for (const query of queries) {
      const [a, b] = await Promise.all([
        inThread.search({ q: query.q, limit: 10 }),
        onWorker.search({ q: query.q, limit: 10 }),
      ]);
      expect(strip(b), query.q).toEqual(strip(a));
    }
    for (const doc of docs.slice(0, 200).filter((d) => d.phones.length > 0)) {
      const [a, b] = await Promise.all([inThread.callers(doc.phones[0]!), onWorker.callers(doc.phones[0]!)]);
      expect(strip(b)).toEqual(strip(a));
      expect(b.results.length).toBeGreaterThan(0);
    }
  }, 120_000);
});

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { createOpenSearchEngine, type ElasticSearchEngine } from "../../src/search/elastic-engine.ts";
import { EmbeddedSearchEngine } from "../../src/search/embedded-engine.ts";
import type { IndexRebuild, RetrievalQuery, SearchEngine } from "../../src/search/search-engine.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { describeWithEngine } from "../support/engines.ts";
import { customer, policyOf } from "./fixtures.ts";

const CUSTOMERS = 3000;

/**
 * `engine`, each batch of a rebuild answered only once a search has been answered after it: searches
 * then run between the batches on any machine, however fast it writes.
 */
function searchedBetweenBatches(engine: SearchEngine, searched: () => Promise<void>): SearchEngine {
  return new Proxy(engine, {
    get(target, prop) {
      if (prop === "beginRebuild")
        return async (): Promise<IndexRebuild> => {
          const rebuild = await target.beginRebuild();
          return {
            upsert: async (docs) => {
              const result = await rebuild.upsert(docs);
              await searched();
              return result;
            },
            commit: () => rebuild.commit(),
            abort: () => rebuild.abort(),
          };
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A full reindex while agents keep searching: no search may fail or come back empty. */
function reindexUnderLoad(
  newEngine: () => Promise<SearchEngine>,
  dispose: (e: SearchEngine) => Promise<void>,
) {
  let dir: string;
  let store: SqliteStore;
  let engine: SearchEngine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kh-reindex-"));
    store = new SqliteStore({ dataDir: dir });
    await store.init();
    for (let start = 0; start < CUSTOMERS; start += 500) {
      const ns = Array.from({ length: 500 }, (_, i) => start + i);
      await store.putCustomers(ns.map((n) => customer(n)));
      await store.putPolicies(ns.map(policyOf));
    }
    engine = await newEngine();
  });
  afterAll(async () => {
    await dispose(engine);
    await engine.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers every search during reindexAll, from the old index and then the new", async () => {
    await createIndexer({ store, engine, batchSize: 50 }).reindexAll();
    const waiting: Array<() => void> = [];
    const searched = () => new Promise<void>((resolve) => waiting.push(resolve));
    const gated = searchedBetweenBatches(engine, searched);
    const indexer = createIndexer({ store, engine: gated, batchSize: 50, concurrency: 2 });
    let searches = 0;
    const failures: string[] = [];
    let running = true;
    const agent = async (k: number) => {
      for (let i = k; running; i += 7) {
        const n = (i * 37) % CUSTOMERS;
        const query: RetrievalQuery = {
          should: [
            { field: "phones", values: [customer(n).phones[0]!.e164!], match: "exact" },
            { field: "surnameParts", values: ["jnasen"], match: "fuzzy" },
          ],
          size: 20,
        };
        try {
          const found = await engine.retrieve(query);
          if (!found.some((d) => d.customerId === customer(n).customerId)) failures.push(`empty for ${n}`);
        } catch (e) {
          failures.push((e as Error).message);
        }
        searches++;
        for (const resolve of waiting.splice(0)) resolve();
        await new Promise((r) => setImmediate(r));
      }
    };
    const agents = [0, 1, 2].map(agent);
    const progress: number[] = [];
    let searchesAtStart = -1;
    await indexer.reindexAll((done) => {
      if (searchesAtStart < 0) searchesAtStart = searches;
      progress.push(done);
    });
    const searchesDuringRebuild = searches - searchesAtStart;
    running = false;
    await Promise.all(agents);
    expect(progress.at(-1)).toBe(CUSTOMERS);
    // Every batch after the first waited for a search (two batches are written at a time).
    expect(searchesDuringRebuild).toBeGreaterThanOrEqual((progress.length - 1) / 2);
    expect(progress.length).toBe(CUSTOMERS / 50);
    expect(failures).toEqual([]);
    expect(await indexer.reconcile(100)).toMatchObject({
      ok: true,
      storeCount: CUSTOMERS,
      indexCount: CUSTOMERS,
    });
  }, 120_000);
}

describe("reindex under search load [embedded]", () => {
  let dir: string;
  reindexUnderLoad(
    async () => {
      dir = mkdtempSync(join(tmpdir(), "kh-reindex-search-"));
      const engine = new EmbeddedSearchEngine({ dataDir: dir });
      await engine.init();
      return engine;
    },
    async (engine) => {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  );
});

describeWithEngine("opensearch", "reindex under search load", (url) => {
  reindexUnderLoad(
    async () => {
      const engine = createOpenSearchEngine(url, { prefix: `test-${randomBytes(4).toString("hex")}-` });
      await engine.init();
      return engine;
    },
    (engine) => (engine as ElasticSearchEngine).dropAll(),
  );
});

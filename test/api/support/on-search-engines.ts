import { randomBytes } from "node:crypto";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll } from "vitest";
import { createElasticsearchEngine, createOpenSearchEngine } from "../../../src/search/elastic-engine.ts";
import { MongoStore } from "../../../src/store/mongo-store.ts";
import { describeWithEngine } from "../../support/engines.ts";
import { loadPortfolio } from "./fixtures.ts";
import { type Harness, startHarness } from "./harness.ts";

const SEARCH_ENGINES = {
  opensearch: { title: "OpenSearch", urlVar: "OPENSEARCH_URL", create: createOpenSearchEngine },
  elasticsearch: { title: "Elasticsearch", urlVar: "ELASTICSEARCH_URL", create: createElasticsearchEngine },
} as const;

/** A real search engine an engine-backed API suite runs on. */
export type SearchEngineName = keyof typeof SEARCH_ENGINES;

/**
 * Declares the same API suite on MongoDB with each real search engine (when both are configured), each
 * a composed service with portfolio A loaded on its own database and index prefix; `h()` is the running
 * harness, `search` the engine it runs on.
 */
export function describeOnSearchEngines(
  title: string,
  suite: (h: () => Harness, search: SearchEngineName) => void,
): void {
  for (const [search, { title: engineTitle, urlVar, create }] of Object.entries(SEARCH_ENGINES)) {
    describeWithEngine(search as SearchEngineName, title, (searchUrl) => {
      describeWithEngine("mongodb", `on MongoDB + ${engineTitle}`, (mongoUrl) => {
        const suffix = randomBytes(4).toString("hex");
        const dbName = `kh_api_${suffix}`;
        const prefix = `kh-api-${suffix}-`;
        let h: Harness;
        beforeAll(async () => {
          h = await startHarness(
            { STORE: "mongodb", MONGODB_URL: mongoUrl, SEARCH: search, [urlVar]: searchUrl },
            { store: new MongoStore({ url: mongoUrl, dbName }), enginePrefix: prefix },
          );
          await loadPortfolio(h);
        });
        afterAll(async () => {
          await h?.close();
          const client = new MongoClient(mongoUrl);
          await client.db(dbName).dropDatabase();
          await client.close();
          // By name: Elasticsearch refuses a wildcard DELETE (action.destructive_requires_name).
          const engine = create(searchUrl, { prefix });
          await engine.dropAll();
          await engine.close();
        });
        suite(() => h, search as SearchEngineName);
      });
    });
  }
}

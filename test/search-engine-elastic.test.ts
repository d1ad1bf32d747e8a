import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import {
  createElasticsearchEngine,
  createOpenSearchEngine,
  type ElasticSearchEngine,
} from "../src/search/elastic-engine.ts";
import type { CustomerDoc, SearchEngine } from "../src/search/search-engine.ts";
import { makeDoc, runSearchEngineContract } from "./search-engine.contract.ts";
import { describeWithEngine } from "./support/engines.ts";

const suite = (create: (url: string, o: { prefix: string }) => ElasticSearchEngine) => (url: string) => {
  runSearchEngineContract({
    newEngine: async () => {
      const engine = create(url, { prefix: `test-${randomBytes(4).toString("hex")}-` });
      await engine.init();
      return engine;
    },
    dispose: (engine: SearchEngine) => (engine as ElasticSearchEngine).dropAll(),
  });
};

describeWithEngine("opensearch", "SearchEngine contract", suite(createOpenSearchEngine));
describeWithEngine("elasticsearch", "SearchEngine contract", suite(createElasticsearchEngine));

const perItem = (create: (url: string, o: { prefix: string }) => ElasticSearchEngine) => (url: string) => {
  it("reports a document the engine's mapping refuses as rejected, with the engine's reason", async () => {
    const engine = create(url, { prefix: `test-${randomBytes(4).toString("hex")}-` });
    await engine.init();
    try {
      const stray = { ...makeDoc("stray"), unknownField: "x" } as CustomerDoc;
      const result = await engine.upsert([makeDoc("fine"), stray]);
      expect(result.written).toBe(1);
      expect(result.rejected).toEqual([{ customerId: "stray", reason: expect.stringContaining("strict") }]);
    } finally {
      await engine.dropAll();
      await engine.close();
    }
  });
};

describeWithEngine("opensearch", "bulk per-item errors", perItem(createOpenSearchEngine));
describeWithEngine("elasticsearch", "bulk per-item errors", perItem(createElasticsearchEngine));

// The readiness check (/health/ready) pings the engine: it must answer on both products.
const ping = (create: (url: string, o: { prefix: string }) => ElasticSearchEngine) => (url: string) => {
  it("answers ping while the cluster runs", async () => {
    const engine = create(url, { prefix: `test-${randomBytes(4).toString("hex")}-` });
    try {
      await expect(engine.ping()).resolves.toBeUndefined();
    } finally {
      await engine.close();
    }
  });
};

describeWithEngine("opensearch", "ping", ping(createOpenSearchEngine));
describeWithEngine("elasticsearch", "ping", ping(createElasticsearchEngine));

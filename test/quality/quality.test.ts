import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomerSearch } from "../../src/search/customer-search-service.ts";
import {
  createElasticsearchEngine,
  createOpenSearchEngine,
  type ElasticSearchEngine,
} from "../../src/search/elastic-engine.ts";
import { EmbeddedSearchEngine } from "../../src/search/embedded-engine.ts";
import type { SearchEngine } from "../../src/search/search-engine.ts";
import { describeWithEngine } from "../support/engines.ts";
import { evaluate, formatReport, type QualityReport } from "./evaluate.ts";
import { portfolioDocs } from "./portfolio.ts";
import { buildQuerySet } from "./query-set.ts";

/** Recall@1 floors: the suite fails when quality drops below them (raise them as quality improves). */
const FLOORS = JSON.parse(readFileSync(new URL("./floors.json", import.meta.url), "utf8")) as {
  customers: number;
  perType: number;
  overall: { r1: number; r5: number };
  types: Record<string, number>;
};

const docs = portfolioDocs(FLOORS.customers, 20261125);
const byId = new Map(docs.map((d) => [d.customerId, d]));
const queries = buildQuerySet(docs, 7, FLOORS.perType);

/** Indexes the portfolio, runs every noisy query through our search and the naive baseline, checks the floors. */
function qualitySuite(newEngine: () => Promise<SearchEngine>, dispose: (e: SearchEngine) => Promise<void>) {
  let engine: SearchEngine;
  let report: QualityReport;

  beforeAll(async () => {
    engine = await newEngine();
    for (let i = 0; i < docs.length; i += 500) {
      const result = await engine.upsert(docs.slice(i, i + 500));
      expect(result.rejected).toEqual([]);
    }
    await engine.refresh();
    report = await evaluate(createCustomerSearch({ engine }), engine, byId, queries);
    console.log(
      formatReport(
        `search quality on ${engine.name}, ${docs.length} customers, ${queries.length} queries`,
        report,
      ),
    );
  }, 900_000);

  afterAll(async () => {
    if (engine) await dispose(engine);
  });

  it("indexed the whole portfolio", async () => expect(await engine.count()).toBe(docs.length));

  it(`overall recall@1 ≥ ${FLOORS.overall.r1} and recall@5 ≥ ${FLOORS.overall.r5}, well above the naive baseline`, () => {
    expect(report.overall.ours.r1).toBeGreaterThanOrEqual(FLOORS.overall.r1);
    expect(report.overall.ours.r5).toBeGreaterThanOrEqual(FLOORS.overall.r5);
    expect(report.overall.ours.r1).toBeGreaterThan(report.overall.naive.r1);
  });

  it.each(Object.entries(FLOORS.types))("recall@1 of %s ≥ %f", (type, floor) => {
    const t = report.types.find((x) => x.type === type);
    expect(t, `no queries of type ${type}`).toBeDefined();
    expect(t!.n).toBeGreaterThan(FLOORS.perType / 2);
    expect(t!.ours.r1).toBeGreaterThanOrEqual(floor);
  });

  it("is almost always right when it says it is confident (confidence ≥ 0.9)", () => {
    expect(report.confident.n).toBeGreaterThan(report.overall.n / 2);
    expect(report.confident.precision).toBeGreaterThanOrEqual(0.99);
  });
}

describe("search quality [embedded]", () => {
  qualitySuite(
    async () => {
      const engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
      await engine.init();
      return engine;
    },
    (e) => e.close(),
  );
});

const elastic = (create: (url: string, o: { prefix: string }) => ElasticSearchEngine) => (url: string) =>
  qualitySuite(
    async () => {
      const engine = create(url, { prefix: `quality-${randomBytes(4).toString("hex")}-` });
      await engine.init();
      return engine;
    },
    async (e) => {
      await (e as ElasticSearchEngine).dropAll();
      await e.close();
    },
  );

describeWithEngine("opensearch", "search quality", elastic(createOpenSearchEngine));
describeWithEngine("elasticsearch", "search quality", elastic(createElasticsearchEngine));

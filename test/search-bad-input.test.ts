import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerSearch } from "../src/search/customer-search.ts";
import { CANDIDATES, createCustomerSearch } from "../src/search/customer-search-service.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import type { RetrievalQuery, SearchEngine } from "../src/search/search-engine.ts";
import { portfolioDocs } from "./quality/portfolio.ts";

/**
 * Input that cannot identify anyone — a city that does not exist, a city alone, a lone common first
 * name, a prefix of one or two letters — gets a bounded answer, best first and not confident, never
 * a scan of the index or an error.
 */
describe("search with input that cannot identify anyone", () => {
  const docs = portfolioDocs(3000, 20261207);
  let engine: EmbeddedSearchEngine;
  let search: CustomerSearch;
  const asked: RetrievalQuery[] = [];

  beforeAll(async () => {
    engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
    await engine.init();
    await engine.upsert(docs);
    // The real engine, with the retrievals it is asked for written down.
    const recording: SearchEngine = Object.create(engine);
    recording.retrieve = (query) => {
      asked.push(query);
      return engine.retrieve(query);
    };
    search = createCustomerSearch({ engine: recording });
  });

  afterAll(() => engine.close());

  const commonFirstName = () => {
    const counts = new Map<string, number>();
    for (const d of docs) for (const f of d.firstNames) counts.set(f, (counts.get(f) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  };
  const bigCity = () => {
    const counts = new Map<string, number>();
    for (const d of docs)
      if (d.view.address.city) counts.set(d.view.address.city, (counts.get(d.view.address.city) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  };

  it.each([
    ["a city that does not exist", () => "Jansen Xyzbergen"],
    ["a city alone", bigCity],
    ["a city alone in another notation", () => "Den Haag"],
    ["a lone common first name", commonFirstName],
    ["a one-letter prefix", () => "j"],
    ["a two-letter prefix", () => "ja"],
    ["a first name and a one-letter prefix", () => `${commonFirstName()} d`],
  ])("%s: at most the limit, best first, not confident, every retrieval bounded", async (_what, text) => {
    asked.length = 0;
    const res = await search.search({ q: text(), limit: 10 });
    expect(res.results.length).toBeLessThanOrEqual(10);
    const scores = res.results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(res.results.filter((r) => r.confidence >= 0.9)).toEqual([]);
    expect(asked.length).toBeGreaterThan(0);
    for (const q of asked) {
      expect(q.size).toBeLessThanOrEqual(CANDIDATES);
      expect(q.should.length + (q.must?.length ?? 0)).toBeGreaterThan(0);
    }
  });

  it("answers the city alone with people of that city", async () => {
    const city = bigCity();
    const res = await search.search({ q: city, limit: 10 });
    expect(res.results.length).toBe(10);
    expect(res.results.every((r) => r.customer.address.city === city)).toBe(true);
  });
});

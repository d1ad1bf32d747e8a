import { describe, expect, it } from "vitest";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import { localEngineOptions, makeDoc, runSearchEngineContract } from "./search-engine.contract.ts";

describe("SearchEngine contract [embedded]", () => {
  runSearchEngineContract(
    localEngineOptions("kh-embedded-", (dataDir) => new EmbeddedSearchEngine({ dataDir })),
  );
});

describe("EmbeddedSearchEngine document cache", () => {
  it("answers with the written version whichever half of the cache held the old one", async () => {
    const engine = new EmbeddedSearchEngine({ dataDir: ":memory:", docCache: 4 });
    await engine.init();
    const byCity = {
      should: [{ field: "city" as const, values: ["ede"], match: "exact" as const }],
      size: 10,
    };
    const docs = ["a", "b", "c", "d", "e"].map((id) => makeDoc(id, { city: "ede" }));
    await engine.upsert(docs);
    // Two retrieves fill both halves (two documents each) and drop the oldest.
    expect(await engine.retrieve(byCity)).toEqual(docs);
    expect(await engine.retrieve(byCity)).toEqual(docs);
    const renamed = docs.map((d) => ({ ...d, view: { ...d.view, displayName: `${d.customerId} (nieuw)` } }));
    await engine.upsert(renamed);
    expect(await engine.retrieve(byCity)).toEqual(renamed);
    await engine.remove(["a", "e"]);
    expect(await engine.retrieve(byCity)).toEqual(renamed.slice(1, 4));
    await engine.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../src/domain/errors.ts";
import type { SearchResponse } from "../src/search/customer-search.ts";
import {
  createWorkerCustomerSearch,
  createWorkerSerialisedSearch,
  WorkerSearchEngine,
} from "../src/search/worker-engine.ts";
import { localEngineOptions, makeDoc, runSearchEngineContract } from "./search-engine.contract.ts";

describe("SearchEngine contract [embedded on a worker thread]", () => {
  runSearchEngineContract(localEngineOptions("kh-worker-", (dataDir) => new WorkerSearchEngine({ dataDir })));
});

describe("WorkerSearchEngine", () => {
  let engine: WorkerSearchEngine;
  beforeAll(async () => {
    engine = new WorkerSearchEngine({ dataDir: ":memory:" });
    await engine.init();
    await engine.upsert([
      makeDoc("c1", {
        surname: "jansen",
        surnameParts: ["jansen"],
        phones: ["+31612345678"],
        view: { kind: "P", displayName: "J. Jansen", address: { country: "NL" }, phones: [] },
      }),
    ]);
  });
  afterAll(() => engine.close());

  it("runs the whole customer search on the worker and answers with ranked results", async () => {
    const search = createWorkerCustomerSearch(engine);
    const found = await search.search({ q: "jansen", limit: 10 });
    expect(found.results.map((r) => r.customerId)).toEqual(["c1"]);
    expect(found.results[0]!.customer.displayName).toBe("J. Jansen");
    const callers = await search.callers("06-12345678");
    expect(callers.results.map((r) => r.customerId)).toEqual(["c1"]);
  });

  it("answers with ready JSON bodies equal to the search's answers, naming the customers for the audit", async () => {
    const serialised = createWorkerSerialisedSearch(engine);
    const search = createWorkerCustomerSearch(engine);
    const body = await serialised.search({ q: "jansen", limit: 10 });
    const { tookMs: _a, ...parsed } = JSON.parse(body.json) as SearchResponse;
    const { tookMs: _b, ...direct } = await search.search({ q: "jansen", limit: 10 });
    expect(parsed).toEqual(direct);
    expect(parsed.hasMore).toBe(false);
    expect(body.customerIds).toEqual(["c1"]);
    const callers = await serialised.callers("+31 6 12345678");
    expect(callers.customerIds).toEqual(["c1"]);
    const err = await serialised.search({ q: "x".repeat(1000), limit: 10 }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("VALIDATION_FAILED");
  });

  it("writes many documents as messages of at most 100, so searches take turns with a long write", async () => {
    // The worker takes messages in turn: a search arriving during a write waits for one slice only.
    const worker = (
      engine as unknown as { worker: { postMessage: (m: { op: string; args: unknown[] }) => void } }
    ).worker;
    const post = worker.postMessage.bind(worker);
    const sizes: number[] = [];
    worker.postMessage = (m) => {
      if (m.op === "upsert") sizes.push((m.args[0] as unknown[]).length);
      post(m);
    };
    const docs = Array.from({ length: 450 }, (_, i) =>
      makeDoc(`s${i}`, {
        surname: "slice",
        surnameParts: ["slice"],
        phones: [`+316000${String(i).padStart(5, "0")}`],
      }),
    );
    // One rejected document in the last slice: its reason comes back with the totals of all slices.
    docs[440] = { ...docs[440]!, customerId: "" };
    try {
      const result = await engine.upsert(docs);
      expect(sizes).toEqual([100, 100, 100, 100, 50]);
      expect(result.written).toBe(449);
      expect(result.rejected.map((r) => r.customerId)).toEqual([""]);
      expect(await engine.get("s449")).not.toBeNull();
    } finally {
      worker.postMessage = post;
      await engine.remove(docs.map((d) => d.customerId));
    }
  });

  it("keeps the stable error code of a refused query across the thread", async () => {
    const search = createWorkerCustomerSearch(engine);
    const err = await search.callers("not a phone").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("VALIDATION_FAILED");
  });

  it("fails every later call with ENGINE_UNAVAILABLE once closed", async () => {
    const other = new WorkerSearchEngine({ dataDir: ":memory:" });
    await other.init();
    await other.close();
    const err = await other.ping().catch((e: unknown) => e);
    expect((err as AppError).code).toBe("ENGINE_UNAVAILABLE");
  });
});

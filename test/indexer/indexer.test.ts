import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/errors.ts";
import { createIndexer } from "../../src/indexer/indexer.ts";
import { EmbeddedSearchEngine } from "../../src/search/embedded-engine.ts";
import type { SearchEngine } from "../../src/search/search-engine.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { customer, policyOf } from "./fixtures.ts";

const byPhone = (e164: string) => ({
  should: [{ field: "phones" as const, values: [e164], match: "exact" as const }],
  size: 5,
});

describe("indexer over SqliteStore and the embedded engine", () => {
  let dir: string;
  let store: SqliteStore;
  let engine: EmbeddedSearchEngine;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "kh-indexer-"));
    store = new SqliteStore({ dataDir: join(dir, "store") });
    await store.init();
    engine = new EmbeddedSearchEngine({ dataDir: join(dir, "search") });
    await engine.init();
    await store.putCustomers(Array.from({ length: 120 }, (_, n) => customer(n)));
    await store.putPolicies(Array.from({ length: 120 }, (_, n) => policyOf(n)));
  });
  afterEach(async () => {
    await engine.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("makes indexed customers searchable with all their policies when indexCustomers returns", async () => {
    const indexer = createIndexer({ store, engine, batchSize: 7, today: () => "2026-11-25" });
    await indexer.indexCustomers(Array.from({ length: 120 }, (_, n) => customer(n).customerId));
    expect(await engine.count()).toBe(120);
    const [doc] = await engine.retrieve(byPhone("+31610000042"));
    expect(doc?.customerId).toBe("K0000042");
    expect(doc?.policies).toEqual([expect.objectContaining({ policyNumber: "VA-42", status: "actief" })]);
    expect(doc?.view.displayName).toBe("D. van den Bergq");
  });

  it("takes customers the store no longer has out of the index", async () => {
    const indexer = createIndexer({ store, engine });
    await indexer.indexCustomers(["K0000001", "K0000002"]);
    await store.deleteCustomers(["K0000001"]);
    await indexer.indexCustomers(["K0000001"]);
    expect(await engine.get("K0000001")).toBeNull();
    await indexer.removeCustomers(["K0000002"]);
    expect(await engine.count()).toBe(0);
  });

  it("records a document the engine rejects, with the reason, in memory and in the JSONL log", async () => {
    await store.putCustomers([customer(500, { birthDate: "1980-13-45" })]);
    const indexer = createIndexer({ store, engine, dataDir: dir });
    await indexer.indexCustomers(["K0000500", "K0000003"]);
    expect(await engine.get("K0000003")).not.toBeNull();
    expect(indexer.rejections()).toEqual([
      expect.objectContaining({ customerId: "K0000500", reason: expect.stringContaining("birthDate") }),
    ]);
    const lines = readFileSync(join(dir, "index-rejections.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ customerId: "K0000500" })]);
  });

  it("takes the rejections of customers the store no longer has out of the log (a reason quotes the value)", async () => {
    await store.putCustomers([
      customer(500, { birthDate: "1980-13-45" }),
      customer(501, { birthDate: "1980-14-46" }),
    ]);
    const indexer = createIndexer({ store, engine, dataDir: dir });
    await indexer.indexCustomers(["K0000500", "K0000501"]);
    expect(readFileSync(join(dir, "index-rejections.jsonl"), "utf8")).toContain("1980-13-45");
    await store.deleteCustomers(["K0000500"]);
    expect(await indexer.pruneRejections()).toBe(1);
    const text = readFileSync(join(dir, "index-rejections.jsonl"), "utf8");
    expect(text).not.toContain("1980-13-45");
    expect(text).toContain("K0000501");
    expect(indexer.rejections().map((r) => r.customerId)).toEqual(["K0000501"]);
    // Older than a cutoff goes too.
    expect(await indexer.pruneRejections(new Date(Date.now() + 60_000).toISOString())).toBe(1);
    expect(readFileSync(join(dir, "index-rejections.jsonl"), "utf8")).toBe("");
  });

  it("retries an engine that answers 429, with backoff, until it accepts", async () => {
    let refusals = 2;
    // The real engine does the work; this decorator only refuses the first two bulk requests, as a busy cluster does.
    const busy: SearchEngine = Object.assign(Object.create(engine) as SearchEngine, {
      upsert: (docs: Parameters<SearchEngine["upsert"]>[0]) => {
        if (refusals-- > 0) return Promise.reject(new AppError("RATE_LIMITED", "429 Too Many Requests"));
        return engine.upsert(docs);
      },
    });
    const indexer = createIndexer({ store, engine: busy, retry: { attempts: 4, baseDelayMs: 5 } });
    await indexer.indexCustomers(["K0000010"]);
    expect(refusals).toBe(-1);
    expect(await engine.get("K0000010")).not.toBeNull();
  });

  it("gives up on a permanently failing engine and says so", async () => {
    await engine.close();
    const indexer = createIndexer({ store, engine, retry: { attempts: 2, baseDelayMs: 1 } });
    await expect(indexer.indexCustomers(["K0000010"])).rejects.toMatchObject({ code: "ENGINE_UNAVAILABLE" });
    engine = new EmbeddedSearchEngine({ dataDir: join(dir, "search") });
    await engine.init();
  });

  it("rebuilds the whole index with progress, and reconcile then agrees", async () => {
    const indexer = createIndexer({ store, engine, batchSize: 25 });
    await indexer.indexCustomers(["K0000001"]);
    await engine.upsert([{ ...(await engine.get("K0000001"))!, customerId: "STALE" }]);
    const progress: Array<[number, number]> = [];
    await indexer.reindexAll((done, total) => progress.push([done, total]));
    expect(progress.at(-1)).toEqual([120, 120]);
    expect(progress).toHaveLength(5);
    expect(await engine.get("STALE")).toBeNull();
    expect(await indexer.reconcile(30)).toEqual({
      storeCount: 120,
      indexCount: 120,
      sampled: 30,
      mismatched: [],
      ok: true,
    });
  });

  it("reconcile notices a missing document and a stale one", async () => {
    const indexer = createIndexer({ store, engine });
    await indexer.reindexAll();
    await engine.remove(["K0000005"]);
    await engine.upsert([{ ...(await engine.get("K0000006"))!, city: "stale" }]);
    const report = await indexer.reconcile(200);
    expect(report).toMatchObject({ storeCount: 120, indexCount: 119, sampled: 120, ok: false });
    expect(report.mismatched.sort()).toEqual(["K0000005", "K0000006"]);
  });
});

describe("indexer: deliveries during a full rebuild", () => {
  it("keeps a change indexed while the rebuild runs after the swap", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kh-indexer-race-"));
    const store = new SqliteStore({ dataDir: join(dir, "store") });
    await store.init();
    const engine = new EmbeddedSearchEngine({ dataDir: join(dir, "search") });
    await engine.init();
    try {
      await store.putCustomers(Array.from({ length: 200 }, (_, n) => customer(n)));
      const indexer = createIndexer({ store, engine, batchSize: 20, concurrency: 1 });
      let changed = false;
      await indexer.reindexAll(async (done) => {
        if (changed || done < 100) return;
        changed = true;
        // A delivery lands mid-rebuild: customer 5 (already read by the rebuild) moves, customer 6 is gone.
        await store.putCustomers([{ ...customer(5), address: { ...customer(5).address, city: "Zwolle" } }]);
        await store.deleteCustomers(["K0000006"]);
        await indexer.indexCustomers(["K0000005", "K0000006"]);
      });
      expect((await engine.get("K0000005"))?.city).toBe("zwolle");
      expect(await engine.get("K0000006")).toBeNull();
      expect(await indexer.reconcile(200)).toMatchObject({ ok: true, indexCount: 199 });
    } finally {
      await engine.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("indexer: one full rebuild at a time", () => {
  it("refuses a second reindexAll while one runs, and allows one afterwards", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kh-indexer-once-"));
    const store = new SqliteStore({ dataDir: join(dir, "store") });
    await store.init();
    const engine = new EmbeddedSearchEngine({ dataDir: join(dir, "search") });
    await engine.init();
    try {
      await store.putCustomers(Array.from({ length: 50 }, (_, n) => customer(n)));
      const { reindexAll } = createIndexer({ store, engine, batchSize: 10 });
      const first = reindexAll();
      await expect(reindexAll()).rejects.toMatchObject({ code: "CONFLICT" });
      await first;
      await reindexAll();
      expect(await engine.count()).toBe(50);
    } finally {
      await engine.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

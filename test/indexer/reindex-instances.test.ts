import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeaseKeeper } from "../../src/cluster/lease-keeper.ts";
import { createIndexer, REINDEX_LEASE } from "../../src/indexer/indexer.ts";
import { EmbeddedSearchEngine } from "../../src/search/embedded-engine.ts";
import type { IndexRebuild, SearchEngine } from "../../src/search/search-engine.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { customer, policyOf } from "./fixtures.ts";

/** `engine` whose rebuild holds its first batch until `gate` opens (after reading it from the store). */
function heldRebuild(engine: SearchEngine, gate: Promise<void>, started: () => void): SearchEngine {
  return new Proxy(engine, {
    get(target, prop) {
      if (prop === "beginRebuild")
        return async (): Promise<IndexRebuild> => {
          const rebuild = await target.beginRebuild();
          return {
            upsert: async (docs) => {
              started();
              await gate;
              return rebuild.upsert(docs);
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

/**
 * A full reindex on instance A while instance B changes customers: what B changed after A read it
 * must be in A's new index once it is live, and what B removed must not come back.
 */
describe("a full reindex while another instance writes", () => {
  let dir: string;
  let store: SqliteStore;
  let engine: EmbeddedSearchEngine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kh-reindex-instances-"));
    store = new SqliteStore({ dataDir: dir });
    await store.init();
    const ns = Array.from({ length: 120 }, (_, i) => i);
    await store.putCustomers(ns.map((n) => customer(n)));
    await store.putPolicies(ns.map(policyOf));
    engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
    await engine.init();
    await createIndexer({ store, engine }).reindexAll();
  });
  afterAll(async () => {
    await engine.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("B's changes during A's rebuild are in the new index, B's removals stay removed", async () => {
    const keeper = (owner: string) =>
      createLeaseKeeper({ leases: store.leases, owner, ttlMs: 5000, pollMs: 20 });
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let readFirstBatch!: () => void;
    const firstBatchRead = new Promise<void>((r) => (readFirstBatch = r));
    const a = createIndexer({
      store,
      engine: heldRebuild(engine, gate, readFirstBatch),
      batchSize: 50,
      concurrency: 1,
      leases: keeper("a"),
    });
    const b = createIndexer({ store, engine, leases: keeper("b") });

    const rebuilding = a.reindexAll();
    await firstBatchRead; // A has read customers 0-49 as they were
    expect((await store.leases.get(REINDEX_LEASE))?.owner).toBe("a");
    const changed = customer(3, { firstNames: "Gewijzigd" });
    await store.putCustomers([changed]);
    await b.indexCustomers([changed.customerId]);
    const gone = customer(7).customerId;
    await store.deleteCustomers([gone]);
    await b.removeCustomers([gone]);
    open();
    await rebuilding;

    expect((await engine.get(changed.customerId))?.firstNames).toEqual(["gewijzigd"]);
    expect(await engine.get(gone)).toBeNull();
    expect(await engine.count()).toBe(119);
    expect(await store.indexChanges.take(10)).toEqual([]);
  });
});

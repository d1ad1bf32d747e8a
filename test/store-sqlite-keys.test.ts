import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { aCustomer } from "./store.contract.ts";

/**
 * Identity keys are written to identity_keys_new and merged into identity_keys from time to time; a
 * key's row in the new table shadows the old one. Whenever merges happen, lookups must answer the same.
 */
describe("SqliteStore identity keys across identity_keys_new and identity_keys", () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "kh-store-keys-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  // UUIDs (stored as 16 bytes) and one plain id (stored as text); K4 and K5 share a hash.
  const IDS = [
    "01a231e4-4d27-7000-ad90-0b5f0e5dfe01",
    "01a231e4-4d27-7000-ad90-0b5f0e5dfe02",
    "01a231e4-4d27-7000-ad90-0b5f0e5dfe03",
    "c-plain",
  ];
  const KEYS = ["K0", "K1", "K2", "K3", "K4", "K5"];
  const hash = (key: string) => (key === "K5" ? 4 : Number(key.slice(1)));

  type Op = { put: Array<{ id: number; keys: string[] }> } | { remove: number[] };
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .array(
          fc.record({
            id: fc.integer({ min: 0, max: IDS.length - 1 }),
            keys: fc.subarray(KEYS),
          }),
          { minLength: 1, maxLength: 3 },
        )
        .map((put) => ({ put })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(fc.integer({ min: 0, max: IDS.length - 1 }), { minLength: 1 })
        .map((remove) => ({ remove })),
    },
  );

  it("answers the same whether keys were merged after every write, never, or every few rows", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const stores = await Promise.all(
          [0, 3, Number.MAX_SAFE_INTEGER].map(async (keyMergeFromRows) => {
            const store = new SqliteStore({ dataDir: await tempDir(), keyHash: hash, keyMergeFromRows });
            await store.init();
            return store;
          }),
        );
        try {
          for (const o of ops) {
            const answers: string[] = [];
            for (const store of stores) {
              if ("put" in o) {
                // One customer once per write, as a batch writes them (the last of an id wins here).
                const byId = new Map(o.put.map((p) => [p.id, p.keys]));
                await store.putCustomers(
                  [...byId].map(([id, matchKeys]) => aCustomer({ customerId: IDS[id]!, matchKeys })),
                );
              } else {
                await store.deleteCustomers(o.remove.map((i) => IDS[i]!));
              }
              answers.push(JSON.stringify([...(await store.findCustomerIdsByMatchKeys(KEYS))].sort()));
            }
            expect(answers[1]).toBe(answers[0]);
            expect(answers[2]).toBe(answers[0]);
          }
        } finally {
          for (const store of stores) await store.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it("answers a key its owner holds and no key anyone dropped, before and after a merge", async () => {
    const dir = await tempDir();
    const [a, b] = IDS;
    const store = new SqliteStore({ dataDir: dir, keyMergeFromRows: 2 });
    await store.init();
    await store.putCustomers([aCustomer({ customerId: a!, matchKeys: ["K1"] })]);
    expect(await store.findCustomerIdsByMatchKeys(["K1"])).toEqual(new Map([["K1", a]]));
    // The second write brings the pending keys to 2: they are merged into identity_keys.
    await store.putCustomers([aCustomer({ customerId: b!, matchKeys: ["K2"] })]);
    const tables = () => {
      const db = new DatabaseSync(join(dir, "klantherkenning.db"), { readOnly: true });
      const count = (t: string) =>
        Number((db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
      const n = { merged: count("identity_keys"), pending: count("identity_keys_new") };
      db.close();
      return n;
    };
    expect(tables()).toEqual({ merged: 2, pending: 0 });
    // K1 moves to b: the move is pending, and shadows a's merged row.
    await store.putCustomers([aCustomer({ customerId: b!, matchKeys: ["K1", "K2"] })]);
    expect(tables()).toEqual({ merged: 2, pending: 1 });
    expect(await store.findCustomerIdsByMatchKeys(["K1", "K2"])).toEqual(
      new Map([
        ["K1", b],
        ["K2", b],
      ]),
    );
    // b lets K1 go: neither b's pending row nor a's shadowed one may answer for it.
    await store.putCustomers([aCustomer({ customerId: b!, matchKeys: ["K2"] })]);
    expect(await store.findCustomerIdsByMatchKeys(["K1", "K2"])).toEqual(new Map([["K2", b]]));
    expect(tables()).toEqual({ merged: 1, pending: 0 });
    await store.close();
  });
});

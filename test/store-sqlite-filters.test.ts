import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import type { Customer, Policy } from "../src/domain/model.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { aCustomer, aPolicy, customerIdsByKeys } from "./store.contract.ts";

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function open(dataDir: string): Promise<SqliteStore> {
  const store = new SqliteStore({ dataDir });
  await store.init();
  stores.push(store);
  return store;
}

const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), "kh-filters-"));
  dirs.push(d);
  return d;
};

/** Customers `from`..`to` (exclusive), each with two identity keys. */
const customers = (from: number, to: number): Customer[] =>
  Array.from({ length: to - from }, (_, j) => {
    const i = from + j;
    return aCustomer({
      customerId: `c${i}`,
      matchKeys: [`R|VOLMACHT-A|R${i}`, `P|berg|j|1970-01-01|1234ab|${i}`],
      partnerRefs: [{ partner: "VOLMACHT-A", partnerCustomerNumber: `R${i}` }],
    });
  });
const policies = (from: number, to: number): Policy[] =>
  Array.from({ length: to - from }, (_, j) =>
    aPolicy({ policyNumber: `P-${from + j}`, customerId: `c${from + j}` }),
  );

/** A look-up big enough to use (and first build) the key filters: keys of customers 0..n. */
const keysOf = (n: number) => Array.from({ length: n }, (_, i) => `R|VOLMACHT-A|R${i}`);
const policyKeys = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ partner: "VOLMACHT-A", policyNumber: `P-${i}` }));

describe("SqliteStore: key filters for big look-ups", () => {
  it("finds exactly what is held, also what was written after the filters were built", async () => {
    const store = await open(freshDir());
    await store.putCustomers(customers(0, 6_000));
    await store.putPolicies(policies(0, 6_000));
    // 12,000 keys (half of them held): the filters are built, then used.
    let found = await customerIdsByKeys(store, keysOf(12_000));
    expect(found.size).toBe(6_000);
    expect(found.get("R|VOLMACHT-A|R5999")).toBe("c5999");
    expect((await store.getPolicies(policyKeys(12_000))).length).toBe(6_000);

    await store.putCustomers(customers(6_000, 9_000));
    await store.putPolicies(policies(6_000, 9_000));
    found = await customerIdsByKeys(store, keysOf(12_000));
    expect(found.size).toBe(9_000);
    expect(found.get("R|VOLMACHT-A|R8999")).toBe("c8999");
    const got = await store.getPolicies(policyKeys(12_000));
    expect(got.length).toBe(9_000);
    expect(got.some((p) => p.policyNumber === "P-8999")).toBe(true);
  });

  it("drops its filters when another connection wrote the database, so that writer's keys are found", async () => {
    const dir = freshDir();
    const store = await open(dir);
    await store.putCustomers(customers(0, 3_000));
    expect((await customerIdsByKeys(store, keysOf(12_000))).size).toBe(3_000);
    // Another process (here: a second store on the same files) adds customers and policies.
    const other = await open(dir);
    await other.putCustomers(customers(3_000, 5_000));
    await other.putPolicies(policies(3_000, 5_000));
    const found = await customerIdsByKeys(store, keysOf(12_000));
    expect(found.size).toBe(5_000);
    expect(found.get("R|VOLMACHT-A|R4999")).toBe("c4999");
    expect((await store.getPolicies(policyKeys(12_000))).length).toBe(2_000);
  });
});

describe("SqliteStore: identity-key rows follow the keys customers hold", () => {
  it("drops the rows of keys the greatest stored customer gave up, written beside a new customer", async () => {
    const dir = freshDir();
    const store = await open(dir);
    await store.putCustomers([
      aCustomer({ customerId: "c1", matchKeys: ["K1"] }),
      aCustomer({ customerId: "c2", matchKeys: ["K2", "K3"] }),
    ]);
    await store.putCustomers([
      aCustomer({ customerId: "c2", matchKeys: ["K4"] }),
      aCustomer({ customerId: "c3", matchKeys: ["K5"] }),
    ]);
    const db = new DatabaseSync(join(dir, "klantherkenning.db"), { readOnly: true });
    try {
      // K1, K4 and K5: a lookup confirms every hit against the customer's keys, so a stale row
      // would not show there, only here.
      expect((db.prepare("SELECT count(*) AS n FROM identity_keys").get() as { n: number }).n).toBe(3);
    } finally {
      db.close();
    }
  });

  it("writes no row for a key a customer held and lists again, so a key another took over stays theirs", async () => {
    const dir = freshDir();
    const store = await open(dir);
    await store.putCustomers([aCustomer({ customerId: "c1", matchKeys: ["K1", "K2"] })]);
    // c2 takes K1 over (a key c1's document still lists).
    await store.putCustomers([aCustomer({ customerId: "c2", matchKeys: ["K1"] })]);
    const stored = new Map((await store.getCustomers(["c1"])).map((c) => [c.customerId, c]));
    // c1 written again with the keys it held: K1 is not taken back, with or without `stored`.
    await store.putCustomers([aCustomer({ customerId: "c1", matchKeys: ["K1", "K2"] })], stored);
    await store.putCustomers([aCustomer({ customerId: "c1", matchKeys: ["K1", "K2"] })]);
    expect(await customerIdsByKeys(store, ["K1", "K2"])).toEqual(
      new Map([
        ["K1", "c2"],
        ["K2", "c1"],
      ]),
    );
    // A key c1 did not hold before is written: it resolves to c1.
    await store.putCustomers([aCustomer({ customerId: "c1", matchKeys: ["K1", "K2", "K3"] })], stored);
    expect((await customerIdsByKeys(store, ["K3"])).get("K3")).toBe("c1");
  });
});

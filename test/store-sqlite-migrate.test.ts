import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { EARLIER_LAYOUT, expectEarlierLayoutRead } from "./intake/provenance.cases.ts";
import { aCustomer, aPolicy, customerIdsByKeys } from "./store.contract.ts";

describe("SqliteStore on a database of the earlier policies layout", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("keeps every policy, finds it by key and by number, and upserts instead of duplicating", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kh-store-migrate-"));
    dirs.push(dir);
    const old = new DatabaseSync(join(dir, "klantherkenning.db"));
    old.exec(`CREATE TABLE policies (
      partner TEXT NOT NULL, policy_number TEXT NOT NULL, customer_id TEXT NOT NULL, doc TEXT NOT NULL,
      PRIMARY KEY (partner, policy_number)) STRICT;
      CREATE INDEX policies_customer ON policies (customer_id);
      CREATE INDEX policies_number ON policies (policy_number);`);
    const insert = old.prepare("INSERT INTO policies VALUES (?, ?, ?, ?)");
    for (const p of [aPolicy(), aPolicy({ partner: "TUSSEN-B", customerId: "c2" })])
      insert.run(p.partner, p.policyNumber, p.customerId, JSON.stringify(p));
    old.close();

    const store = new SqliteStore({ dataDir: dir });
    await store.init();
    expect((await store.findPoliciesByNumber("P-1")).map((p) => p.partner)).toEqual([
      "TUSSEN-B",
      "VOLMACHT-A",
    ]);
    await store.putPolicies([aPolicy({ customerId: "c3" })]);
    const [again] = await store.getPolicies([{ partner: "VOLMACHT-A", policyNumber: "P-1" }]);
    expect(again?.customerId).toBe("c3");
    expect(await store.policyNumbersOfPartner("VOLMACHT-A")).toEqual(["P-1"]);
    await store.close();

    const check = new DatabaseSync(join(dir, "klantherkenning.db"));
    const indexes = check
      .prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'policies' AND type = 'index'")
      .all();
    expect(indexes.map((r) => r.name).sort()).toEqual(["policies_customer", "policies_key"]);
    check.close();
  });
});

describe("SqliteStore identity keys", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "kh-store-keys-"));
    dirs.push(dir);
    return dir;
  };

  it("moves key strings of the earlier layout into the hashed table and finds them there", async () => {
    const dir = await tempDir();
    const old = new DatabaseSync(join(dir, "klantherkenning.db"));
    old.exec(`CREATE TABLE customers (customer_id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT;
      CREATE TABLE customer_keys (key TEXT PRIMARY KEY, customer_id TEXT NOT NULL) STRICT, WITHOUT ROWID;
      CREATE INDEX customer_keys_customer ON customer_keys (customer_id);`);
    const c1 = aCustomer({ customerId: "c1", matchKeys: ["K1", "K2"] });
    old.prepare("INSERT INTO customers VALUES (?, ?)").run("c1", JSON.stringify(c1));
    for (const key of ["K1", "K2"]) old.prepare("INSERT INTO customer_keys VALUES (?, 'c1')").run(key);
    old.close();

    const store = new SqliteStore({ dataDir: dir });
    await store.init();
    expect(await customerIdsByKeys(store, ["K1", "K2", "K3"])).toEqual(
      new Map([
        ["K1", "c1"],
        ["K2", "c1"],
      ]),
    );
    await store.close();
    const check = new DatabaseSync(join(dir, "klantherkenning.db"));
    const tables = check
      .prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'customer_key%' OR name = 'identity_keys'")
      .all();
    expect(tables.map((r) => r.name)).toEqual(["identity_keys"]);
    check.close();
  });

  it("never answers a customer for a key it does not hold, even when every key shares one hash", async () => {
    const store = new SqliteStore({ dataDir: await tempDir(), keyHash: () => 7 });
    await store.init();
    await store.putCustomers([aCustomer({ customerId: "c1", matchKeys: ["K1"] })]);
    expect(await customerIdsByKeys(store, ["K1"])).toEqual(new Map([["K1", "c1"]]));
    // c2's key takes the shared hash: K1 is then missed (a merge lost), never answered with c2.
    await store.putCustomers([aCustomer({ customerId: "c2", matchKeys: ["K2"] })]);
    expect(await customerIdsByKeys(store, ["K1", "K2"])).toEqual(new Map([["K2", "c2"]]));
    await store.deleteCustomers(["c2"]);
    expect((await customerIdsByKeys(store, ["K1", "K2"])).size).toBe(0);
    await store.close();
  });

  it("gives a shared hash to the later customer of one write, as separate writes would", async () => {
    const store = new SqliteStore({ dataDir: await tempDir(), keyHash: () => 7 });
    await store.init();
    await store.putCustomers([
      aCustomer({ customerId: "c1", matchKeys: ["K1"] }),
      aCustomer({ customerId: "c2", matchKeys: ["K2"] }),
    ]);
    expect(await customerIdsByKeys(store, ["K1", "K2"])).toEqual(new Map([["K2", "c2"]]));
    await store.close();
  });
});

describe("SqliteStore on customers stored before sources were kept", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("reads a merged record as each partner's source; the next delivery replaces only its partner's part", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kh-store-sources-"));
    dirs.push(dir);
    const old = new DatabaseSync(join(dir, "klantherkenning.db"));
    old.exec(`CREATE TABLE customers (customer_id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT;
      CREATE TABLE customer_keys (key TEXT PRIMARY KEY, customer_id TEXT NOT NULL) STRICT, WITHOUT ROWID;`);
    old.prepare("INSERT INTO customers VALUES (?, ?)").run("c-old", JSON.stringify(EARLIER_LAYOUT));
    for (const key of EARLIER_LAYOUT.matchKeys)
      old.prepare("INSERT INTO customer_keys VALUES (?, 'c-old')").run(key);
    old.close();

    const store = new SqliteStore({ dataDir: dir });
    await store.init();
    try {
      await expectEarlierLayoutRead(store);
    } finally {
      await store.close();
    }
  });
});

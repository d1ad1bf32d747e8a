import { randomBytes } from "node:crypto";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MongoStore } from "../src/store/mongo-store.ts";
import { EARLIER_LAYOUT, expectEarlierLayoutRead } from "./intake/provenance.cases.ts";
import { aCustomer, aPolicy, customerIdsByKeys, runStoreContract } from "./store.contract.ts";
import { describeWithEngine } from "./support/engines.ts";

describeWithEngine("mongodb", "MongoStore layout and batch sizes", (url) => {
  const names: string[] = [];
  // Made in beforeAll: a skipped suite is still collected, with no URL to parse.
  let client: MongoClient;
  beforeAll(() => {
    client = new MongoClient(url);
  });
  afterAll(async () => {
    for (const name of names) await client.db(name).dropDatabase();
    await client.close();
  });
  const dbName = () => {
    const name = `kh_layout_${randomBytes(4).toString("hex")}`;
    names.push(name);
    return name;
  };

  it("reads a database of the earlier layout: init() builds the identity-key lookup from the customers", async () => {
    const name = dbName();
    // The earlier layout: keys only in customers.matchKeys, behind a multikey index.
    const old = client.db(name).collection<{ _id: string }>("customers");
    await old.createIndex({ matchKeys: 1 });
    await old.insertMany([
      { _id: "c2", ...aCustomer({ customerId: "c2", matchKeys: ["R|A|2", "P|twin"] }) },
      { _id: "c1", ...aCustomer({ customerId: "c1", matchKeys: ["R|A|1", "P|twin"] }) },
    ]);
    const store = new MongoStore({ url, dbName: name });
    await store.init();
    await store.init(); // the second start finds the lookup built
    try {
      // A key two customers list resolves to the lowest customerId, as the earlier look-up did.
      expect(await customerIdsByKeys(store, ["R|A|1", "R|A|2", "P|twin", "R|A|9"])).toEqual(
        new Map([
          ["R|A|1", "c1"],
          ["R|A|2", "c2"],
          ["P|twin", "c1"],
        ]),
      );
      const indexes = await old.indexes();
      expect(indexes.map((i) => i.name)).not.toContain("matchKeys_1");
      // Written after the move, a customer's keys are found and its dropped keys are not.
      await store.putCustomers([aCustomer({ customerId: "c2", matchKeys: ["R|A|2", "Z|new"] })]);
      expect(await customerIdsByKeys(store, ["Z|new", "P|twin"])).toEqual(
        new Map([
          ["Z|new", "c2"],
          ["P|twin", "c1"],
        ]),
      );
    } finally {
      await store.close();
    }
  });

  it("reads a customer merged before sources were kept as each partner's source; a delivery replaces only its partner's part", async () => {
    const name = dbName();
    const old = client.db(name).collection<{ _id: string }>("customers");
    await old.createIndex({ matchKeys: 1 });
    await old.insertOne({ _id: EARLIER_LAYOUT.customerId, ...EARLIER_LAYOUT });
    const store = new MongoStore({ url, dbName: name });
    await store.init();
    try {
      await expectEarlierLayoutRead(store);
    } finally {
      await store.close();
    }
  });

  it("gives policies of the earliest layout (ObjectId _id) their natural-key _id in init(), so they are found and writable", async () => {
    const name = dbName();
    const old = client.db(name).collection("policies");
    await old.createIndex({ partner: 1, policyNumber: 1 }, { unique: true });
    await old.insertMany([aPolicy(), aPolicy({ partner: "TUSSEN-B", customerId: "c2" })]);
    const store = new MongoStore({ url, dbName: name });
    await store.init();
    await store.init(); // the second start finds the move done
    try {
      const [found] = await store.getPolicies([{ partner: "VOLMACHT-A", policyNumber: "P-1" }]);
      expect(found?.customerId).toBe("c1");
      await store.putPolicies([aPolicy({ customerId: "c3" })]);
      const all = await store.findPoliciesByNumber("P-1");
      expect(all.map((p) => [p.partner, p.customerId])).toEqual([
        ["TUSSEN-B", "c2"],
        ["VOLMACHT-A", "c3"],
      ]);
    } finally {
      await store.close();
    }
  });

  it("rewrites 300 existing customers and policies in one call, as a second delivery does", async () => {
    const store = new MongoStore({ url, dbName: dbName() });
    await store.init();
    try {
      const ids = Array.from({ length: 300 }, (_, i) => `c${String(i).padStart(3, "0")}`);
      const write = (delivery: string) =>
        Promise.all([
          store.putCustomers(
            ids.map((id) => aCustomer({ customerId: id, matchKeys: [`R|A|${id}`], deliveryIds: [delivery] })),
          ),
          store.putPolicies(
            ids.map((id) => aPolicy({ policyNumber: `P-${id}`, customerId: id, deliveryIds: [delivery] })),
          ),
        ]);
      await write("d1");
      await write("d2");
      const customers = await store.getCustomers(ids);
      expect(customers.map((c) => c.customerId)).toEqual(ids);
      expect(customers.every((c) => c.deliveryIds[0] === "d2")).toBe(true);
      const policies = await store.getPolicies(
        ids.map((id) => ({ partner: "VOLMACHT-A", policyNumber: `P-${id}` })),
      );
      expect(policies).toHaveLength(300);
      expect(policies.every((p) => p.deliveryIds[0] === "d2")).toBe(true);
      expect(await store.countCustomers()).toBe(300);
      // Many keys (one scan) and a few keys (one query each) give the same answers.
      expect(
        (
          await customerIdsByKeys(
            store,
            ids.map((id) => `R|A|${id}`),
          )
        ).size,
      ).toBe(300);
      expect(await customerIdsByKeys(store, ["R|A|c007", "R|A|zzz"])).toEqual(
        new Map([["R|A|c007", "c007"]]),
      );
      await store.deleteCustomers(ids.slice(0, 200));
      expect(
        (
          await customerIdsByKeys(
            store,
            ids.map((id) => `R|A|${id}`),
          )
        ).size,
      ).toBe(100);
    } finally {
      await store.close();
    }
  });

  it("finishes a rewrite cut short between removing the old documents and writing the new ones", async () => {
    const name = dbName();
    const store = new MongoStore({ url, dbName: name });
    await store.init();
    await store.putCustomers([aCustomer({ customerId: "c1", deliveryIds: ["d1"] })]);
    await store.close();
    // What a crash leaves: the new version journalled, the old one already gone.
    const db = client.db(name);
    const doc = { _id: "c1", ...aCustomer({ customerId: "c1", deliveryIds: ["d2"] }) };
    await db
      .collection<{ _id: string; coll: string; swap: string; doc: object }>("pending_writes")
      .insertOne({ _id: "customers\u001fc1", coll: "customers", swap: "s1", doc });
    await db.collection<{ _id: string }>("customers").deleteOne({ _id: "c1" });
    const restarted = new MongoStore({ url, dbName: name });
    await restarted.init();
    try {
      expect((await restarted.getCustomer("c1"))?.deliveryIds).toEqual(["d2"]);
      expect(await db.collection("pending_writes").countDocuments()).toBe(0);
    } finally {
      await restarted.close();
    }
  });

  // FerretDB answers scan-shaped look-ups; this runs MongoDB's `$in` and bulk shapes on it as well.
  describe("with MongoDB's query shapes", () => {
    runStoreContract({ newStore: async () => new MongoStore({ url, dbName: dbName(), scan: false }) });
  });
});

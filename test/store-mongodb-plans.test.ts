import { randomBytes } from "node:crypto";
import { type Document, MongoClient } from "mongodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { MongoStore } from "../src/store/mongo-store.ts";
import { aCustomer, aDelivery, aPolicy } from "./store.contract.ts";
import { describeWithEngine } from "./support/engines.ts";

/** Every stage name in an explained plan, depth first. */
function stagesOf(plan: Document): string[] {
  const own = typeof plan.stage === "string" ? [plan.stage] : [];
  const children = [plan.inputStage, ...(Array.isArray(plan.inputStages) ? plan.inputStages : [])].filter(
    Boolean,
  );
  return [...own, ...children.flatMap((c: Document) => stagesOf(c))];
}

/**
 * The MongoDB adapter's hot queries (the filters of src/store/mongo-store.ts, mongo-customer-keys.ts
 * and mongo-coordination.ts, written out here to be explained) are answered from an index on
 * MongoDB: no collection scan in any winning plan. FerretDB 1.x has no query planner to ask (its
 * `explain` tells what it pushes down to its backend), so there the case says it was skipped.
 */
describeWithEngine("mongodb", "MongoStore hot queries use indexes", (url) => {
  const dbName = `kh_plans_${randomBytes(4).toString("hex")}`;
  let client: MongoClient;
  let store: MongoStore;
  let ferretdb: string | undefined;
  beforeAll(async () => {
    client = new MongoClient(url);
    const info = await client.db("admin").command({ buildInfo: 1 });
    ferretdb = typeof info.ferretdbVersion === "string" ? info.ferretdbVersion : undefined;
    store = new MongoStore({ url, dbName });
    await store.init();
    await store.insertDelivery(aDelivery({ id: "d1" }));
    await store.putCustomers([
      aCustomer({ customerId: "c1" }),
      aCustomer({ customerId: "c2", matchKeys: ["K2"] }),
    ]);
    await store.putPolicies([
      aPolicy({ policyNumber: "P-1" }),
      aPolicy({ policyNumber: "P-2", customerId: "c2" }),
    ]);
    await store.leases.acquire("intake", "a", 1000, Date.now());
    await store.counters.add([{ key: "rate:x:1", by: 1, expiresAt: Date.now() + 60_000 }], "a");
  });
  afterAll(async () => {
    await store?.dropDatabase();
    await store?.close();
    await client?.close();
  });

  const queries: Array<[string, string, Document, Document?]> = [
    ["customers by _id", "customers", { _id: { $in: ["c1", "c2"] } }],
    ["identity keys by _id", "customer_keys", { _id: { $in: ["K2", "R|VOLMACHT-A|R1"] } }],
    ["identity keys by customer", "customer_keys", { customerId: { $in: ["c1", "c2"] } }],
    ["customers by delivery", "customers", { deliveryIds: "d1" }, { _id: 1 }],
    ["policies by _id", "policies", { _id: { $in: ['["VOLMACHT-A","P-1"]'] } }],
    ["policies of customers", "policies", { customerId: { $in: ["c1", "c2"] } }],
    ["policies by number", "policies", { policyNumber: "P-1" }],
    ["policy numbers of a partner", "policies", { partner: "VOLMACHT-A" }, { _id: 0, policyNumber: 1 }],
    ["policies by delivery", "policies", { deliveryIds: "d1" }],
    ["open deliveries", "deliveries", { status: { $in: ["received", "processing"] } }],
    ["a delivery by file hash", "deliveries", { partner: "VOLMACHT-A", sha256: "a".repeat(64) }],
    ["a lease's newest generation", "leases", { name: "intake" }],
    ["counters by key", "counters", { key: { $in: ["rate:x:1"] } }],
  ];
  for (const [what, collection, filter, projection] of queries)
    it(`${what}: ${collection} ${JSON.stringify(filter)}`, async (ctx) => {
      if (ferretdb) ctx.skip(`FerretDB ${ferretdb} has no query planner to explain (real MongoDB only)`);
      const explained = await client
        .db(dbName)
        .collection(collection)
        .find(filter, projection ? { projection } : {})
        .explain("queryPlanner");
      const stages = stagesOf(
        explained.queryPlanner.winningPlan.queryPlan ?? explained.queryPlanner.winningPlan,
      );
      expect(stages).not.toContain("COLLSCAN");
      expect(stages.some((s) => /IXSCAN|IDHACK|EXPRESS|COUNT_SCAN/.test(s))).toBe(true);
    });
});

import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { MongoStore } from "../src/store/mongo-store.ts";
import { runStoreContract } from "./store.contract.ts";
import { describeWithEngine } from "./support/engines.ts";

describeWithEngine("mongodb", "MongoStore", (url) => {
  const stores: MongoStore[] = [];
  afterAll(async () => {
    for (const s of stores) {
      const cleanup = new MongoStore({ url, dbName: s.dbName });
      await cleanup.init();
      await cleanup.dropDatabase();
      await cleanup.close();
    }
  });
  runStoreContract({
    newStore: async () => {
      const store = new MongoStore({ url, dbName: `kh_store_${randomBytes(4).toString("hex")}` });
      stores.push(store);
      return store;
    },
  });
});

import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { describeWithEngine } from "../support/engines.ts";
import { runPartnerCases, runUpgradeCase } from "./partners.cases.ts";

describeWithEngine("mongodb", "partners through the API", (url) => {
  const dbNames: string[] = [];
  const newStore = () => {
    const dbName = `kh_partners_${randomBytes(4).toString("hex")}`;
    dbNames.push(dbName);
    return new MongoStore({ url, dbName });
  };
  afterAll(async () => {
    for (const dbName of dbNames) {
      const cleanup = new MongoStore({ url, dbName });
      await cleanup.init();
      await cleanup.dropDatabase();
      await cleanup.close();
    }
  });
  runPartnerCases(newStore);
  runUpgradeCase(async () => newStore());
});

import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { describeWithEngine } from "../support/engines.ts";
import { runQualityCases } from "./quality.cases.ts";

describeWithEngine("mongodb", "partner quality report", (url) => {
  const dbName = `kh_quality_${randomBytes(4).toString("hex")}`;
  afterAll(async () => {
    const cleanup = new MongoStore({ url, dbName });
    await cleanup.init();
    await cleanup.dropDatabase();
    await cleanup.close();
  });
  runQualityCases(() => new MongoStore({ url, dbName }));
});

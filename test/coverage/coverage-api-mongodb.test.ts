import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { describeWithEngine } from "../support/engines.ts";
import { runScenariosThroughApi } from "./run-through-api.ts";

describeWithEngine("mongodb", "coverage scenarios through the API", (url) => {
  const dbName = `kh_coverage_api_${randomBytes(4).toString("hex")}`;
  afterAll(async () => {
    const cleanup = new MongoStore({ url, dbName });
    await cleanup.init();
    await cleanup.dropDatabase();
    await cleanup.close();
  });
  runScenariosThroughApi(() => new MongoStore({ url, dbName }));
});

import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { describeWithEngine } from "../support/engines.ts";
import { runCoverageOnStore } from "./run-on-store.ts";

describeWithEngine("mongodb", "coverage through the store", (url) => {
  const dbName = `kh_coverage_${randomBytes(4).toString("hex")}`;
  afterAll(async () => {
    const cleanup = new MongoStore({ url, dbName });
    await cleanup.init();
    await cleanup.dropDatabase();
    await cleanup.close();
  });
  runCoverageOnStore(async () => new MongoStore({ url, dbName }));
});

import { randomBytes } from "node:crypto";
import { MongoClient } from "mongodb";
import { afterAll } from "vitest";
import { createOpenSearchEngine } from "../../src/search/elastic-engine.ts";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { startHarness } from "../api/support/harness.ts";
import { describeWithEngine } from "../support/engines.ts";
import { securityCases } from "./security.cases.ts";

describeWithEngine("opensearch", "security", (searchUrl) => {
  describeWithEngine("mongodb", "on MongoDB + OpenSearch", (mongoUrl) => {
    const suffix = randomBytes(4).toString("hex");
    const dbName = `kh_sec_${suffix}`;
    const prefix = `kh-sec-${suffix}-`;
    securityCases((env, now) =>
      startHarness(
        { ...env, STORE: "mongodb", MONGODB_URL: mongoUrl, SEARCH: "opensearch", OPENSEARCH_URL: searchUrl },
        { store: new MongoStore({ url: mongoUrl, dbName }), enginePrefix: prefix, now },
      ),
    );
    afterAll(async () => {
      const client = new MongoClient(mongoUrl);
      await client.db(dbName).dropDatabase();
      await client.close();
      const engine = createOpenSearchEngine(searchUrl, { prefix });
      await engine.dropAll();
      await engine.close();
    });
  });
});

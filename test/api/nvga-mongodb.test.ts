import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { describeWithEngine } from "../support/engines.ts";
import { runNvgaCases } from "./nvga.cases.ts";

// FerretDB takes a few hundred rows a second on a re-delivery (bench/ingest.ts): a small portfolio.
describeWithEngine("mongodb", "NVGA File Polis through the API", (url) => {
  const dbNames: string[] = [];
  afterAll(async () => {
    for (const dbName of dbNames) {
      const cleanup = new MongoStore({ url, dbName });
      await cleanup.init();
      await cleanup.dropDatabase();
      await cleanup.close();
    }
  });
  runNvgaCases(300, () => {
    const dbName = `kh_nvga_${randomBytes(4).toString("hex")}`;
    dbNames.push(dbName);
    return new MongoStore({ url, dbName });
  });
});

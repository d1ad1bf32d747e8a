import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import { MongoStore } from "../../../src/store/mongo-store.ts";
import { describeWithEngine } from "../../support/engines.ts";
import { loadPortfolio } from "./fixtures.ts";
import { type Harness, startHarness } from "./harness.ts";

/**
 * Declares the same API suite on the embedded default (SQLite) and on MongoDB (when configured), each
 * a composed service with portfolio A loaded; `h()` is the running harness.
 */
export function describeOnStores(title: string, suite: (h: () => Harness) => void): void {
  describe(`${title} [sqlite]`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
      await loadPortfolio(h);
    });
    afterAll(() => h?.close());
    suite(() => h);
  });
  describeWithEngine("mongodb", title, (url) => {
    const dbName = `kh_api_${randomBytes(4).toString("hex")}`;
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(
        { STORE: "mongodb", MONGODB_URL: url },
        { store: new MongoStore({ url, dbName }) },
      );
      await loadPortfolio(h);
    });
    afterAll(async () => {
      await h?.close();
      const cleanup = new MongoStore({ url, dbName });
      await cleanup.init();
      await cleanup.dropDatabase();
      await cleanup.close();
    });
    suite(() => h);
  });
}

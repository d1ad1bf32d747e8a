import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe } from "vitest";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { describeWithEngine } from "../support/engines.ts";
import { runSharedLimitCases } from "./shared-limits.cases.ts";

describe("shared limits [sqlite]", () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kh-limits-"));
    store = new SqliteStore({ dataDir: dir });
    await store.init();
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  runSharedLimitCases(() => store);
});

describeWithEngine("mongodb", "shared limits", (url) => {
  let store: MongoStore;
  beforeAll(async () => {
    store = new MongoStore({ url, dbName: `kh_limits_${randomBytes(4).toString("hex")}` });
    await store.init();
  });
  afterAll(async () => {
    await store.dropDatabase();
    await store.close();
  });
  runSharedLimitCases(() => store);
});

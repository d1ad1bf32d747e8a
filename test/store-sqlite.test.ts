import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe } from "vitest";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { runStoreContract } from "./store.contract.ts";

describe("SqliteStore", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  runStoreContract({
    newStore: async () => {
      const dir = await mkdtemp(join(tmpdir(), "kh-store-"));
      dirs.push(dir);
      return new SqliteStore({ dataDir: dir });
    },
  });
});

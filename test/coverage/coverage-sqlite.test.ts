import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { runCoverageOnStore } from "./run-on-store.ts";

describe("coverage through the store [sqlite]", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  runCoverageOnStore(async () => {
    dir = await mkdtemp(join(tmpdir(), "kh-coverage-"));
    return new SqliteStore({ dataDir: dir });
  });
});

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { runPartnerCases, runUpgradeCase } from "./partners.cases.ts";

describe("partners through the API (embedded store)", () => {
  runPartnerCases();
  runUpgradeCase(async () => new SqliteStore({ dataDir: await mkdtemp(join(tmpdir(), "kh-upgrade-")) }));
});

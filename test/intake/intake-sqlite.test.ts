import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { runIntakeCases } from "./intake.cases.ts";
import { runIntakeInstanceCases } from "./intake-instances.cases.ts";
import { runProvenanceCases } from "./provenance.cases.ts";
import { runPurgeCases } from "./purge.cases.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const newStore = async () => {
  const dir = await mkdtemp(join(tmpdir(), "kh-intake-"));
  dirs.push(dir);
  return new SqliteStore({ dataDir: dir });
};

describe("delivery intake [sqlite]", () => runIntakeCases({ newStore }));
describe("retention purge [sqlite]", () => runPurgeCases({ newStore }));
describe("provenance per source [sqlite]", () => runProvenanceCases({ newStore }));
describe("several instances [sqlite]", () => runIntakeInstanceCases({ newStore }));

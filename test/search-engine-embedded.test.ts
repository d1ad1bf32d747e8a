import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe } from "vitest";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import type { SearchEngine } from "../src/search/search-engine.ts";
import { runSearchEngineContract } from "./search-engine.contract.ts";

describe("SearchEngine contract [embedded]", () => {
  const dirs = new Map<SearchEngine, string>();
  const open = async (dir: string) => {
    const engine = new EmbeddedSearchEngine({ dataDir: dir });
    await engine.init();
    dirs.set(engine, dir);
    return engine;
  };
  runSearchEngineContract({
    newEngine: () => open(mkdtempSync(join(tmpdir(), "kh-embedded-"))),
    reopen: async (engine) => {
      await engine.close();
      return open(dirs.get(engine)!);
    },
    dispose: async (engine) => {
      await engine.close();
      rmSync(dirs.get(engine)!, { recursive: true, force: true });
    },
  });
});

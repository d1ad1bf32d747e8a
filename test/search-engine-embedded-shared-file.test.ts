import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import type { CustomerDoc, RetrievalQuery } from "../src/search/search-engine.ts";
import { makeDoc } from "./search-engine.contract.ts";

const NODE = join(process.cwd(), "node_modules/.bin/node");
const dirs: string[] = [];
const engines: EmbeddedSearchEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(dataDir: string): Promise<EmbeddedSearchEngine> {
  const engine = new EmbeddedSearchEngine({ dataDir });
  await engine.init();
  engines.push(engine);
  return engine;
}

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "kh-embedded-shared-"));
  dirs.push(dir);
  return dir;
};

const byCity = (city: string): RetrievalQuery => ({
  should: [{ field: "city", values: [city], match: "exact" }],
  size: 10,
});
const ids = (docs: readonly CustomerDoc[]) => docs.map((d) => d.customerId).sort();
const person = (id: string, city: string, status = "actief") =>
  makeDoc(id, {
    city,
    policies: [
      {
        policyNumber: `P-${id}`,
        partner: "VOLMACHT-A",
        product: "RB-PARTICULIER",
        status,
        startDate: "2024-01-01",
        modules: [],
      } as unknown as CustomerDoc["policies"][number],
    ],
  });

const journalRows = (dataDir: string) => {
  const db = new DatabaseSync(join(dataDir, "search.sqlite"), { readOnly: true });
  try {
    return Number((db.prepare("SELECT count(*) AS n FROM changes").get() as { n: number }).n);
  } finally {
    db.close();
  }
};

describe("embedded engine: another engine writing the same search.sqlite", () => {
  it("finds what the other one added, changed and removed at its next read", async () => {
    const dir = tempDir();
    const service = await open(dir);
    const tool = await open(dir);
    await service.upsert([person("c1", "ede"), person("c2", "ede")]);
    expect(ids(await tool.retrieve(byCity("ede")))).toEqual(["c1", "c2"]);

    // The tool moves c1 to Utrecht, ends c2's policy, adds c3 and removes nothing yet.
    await tool.upsert([person("c1", "utrecht"), person("c2", "ede", "beeindigd"), person("c3", "ede")]);
    expect(ids(await service.retrieve(byCity("ede")))).toEqual(["c2", "c3"]);
    expect(ids(await service.retrieve(byCity("utrecht")))).toEqual(["c1"]);
    // The service's document cache held c2 as active: it shows the ended policy now.
    const c2 = (await service.retrieve(byCity("ede"))).find((d) => d.customerId === "c2")!;
    expect(c2.policies[0]!.status).toBe("beeindigd");
    expect(await service.count()).toBe(3);

    await tool.remove(["c3"]);
    expect(ids(await service.retrieve(byCity("ede")))).toEqual(["c2"]);
    expect(await service.get("c3")).toBeNull();
    // The service's own writes after taking the tool's in reach the tool too.
    await service.upsert([person("c4", "utrecht")]);
    expect(ids(await tool.retrieve(byCity("utrecht")))).toEqual(["c1", "c4"]);
    expect(ids(await tool.retrieve(byCity("ede")))).toEqual(["c2"]);
  });

  it("journals nothing while one engine is alone, and keeps only what another has not seen", async () => {
    const dir = tempDir();
    const alone = await open(dir);
    await alone.upsert([person("c1", "ede"), person("c2", "ede")]);
    expect(journalRows(dir)).toBe(0);
    const other = await open(dir);
    await alone.upsert([person("c1", "utrecht")]);
    expect(journalRows(dir)).toBe(1);
    await other.count();
    // Seen by both: the next write clears it.
    await alone.upsert([person("c2", "utrecht")]);
    await other.count();
    await alone.upsert([person("c5", "utrecht")]);
    await other.close();
    engines.splice(engines.indexOf(other), 1);
    await alone.upsert([person("c6", "utrecht")]);
    expect(journalRows(dir)).toBe(0);
  });

  it("forgets a registration not renewed for minutes, though its pid lives (a reused pid, a copied file)", async () => {
    const dir = tempDir();
    const engine = await open(dir);
    const db = new DatabaseSync(join(dir, "search.sqlite"));
    db.prepare("INSERT INTO engines (token, pid, seen, at) VALUES ('phantom', ?, 0, 0)").run(process.pid);
    db.close();
    await engine.upsert([person("c1", "ede")]);
    expect(journalRows(dir)).toBe(0);
    const check = new DatabaseSync(join(dir, "search.sqlite"), { readOnly: true });
    expect(
      check
        .prepare("SELECT token FROM engines")
        .all()
        .map((r) => r.token),
    ).not.toContain("phantom");
    check.close();
  });

  it("loads its index again when the other engine swapped in a rebuilt table", async () => {
    const dir = tempDir();
    const service = await open(dir);
    const tool = await open(dir);
    await service.upsert([person("c1", "ede"), person("c2", "ede")]);
    const rebuild = await tool.beginRebuild();
    await rebuild.upsert([person("c2", "ede"), person("c9", "zwolle")]);
    await rebuild.commit();
    expect(ids(await service.retrieve(byCity("ede")))).toEqual(["c2"]);
    expect(ids(await service.retrieve(byCity("zwolle")))).toEqual(["c9"]);
    // And writes on the new table reach it as before.
    await tool.upsert([person("c10", "zwolle")]);
    expect(ids(await service.retrieve(byCity("zwolle")))).toEqual(["c10", "c9"]);
  });

  it("takes in what another process wrote, and forgets an engine whose process is gone", async () => {
    const dir = tempDir();
    const service = await open(dir);
    await service.upsert([person("c1", "ede")]);
    // A separate process opens the file, moves c1 and adds c2, and exits without closing its engine.
    const script = `
      import { EmbeddedSearchEngine } from ${JSON.stringify(join(process.cwd(), "src/search/embedded-engine.ts"))};
      import { makeDoc } from ${JSON.stringify(join(process.cwd(), "test/search-engine.contract.ts"))};
      const e = new EmbeddedSearchEngine({ dataDir: ${JSON.stringify(dir)} });
      await e.init();
      await e.upsert([makeDoc("c1", { city: "utrecht" }), makeDoc("c2", { city: "ede" })]);
      process.exit(0);
    `;
    const child = spawnSync(NODE, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(child.status, child.stderr).toBe(0);
    expect(ids(await service.retrieve(byCity("ede")))).toEqual(["c2"]);
    expect(ids(await service.retrieve(byCity("utrecht")))).toEqual(["c1"]);
    // The dead process's registration goes at the next write, and with it the journal.
    await service.upsert([person("c3", "ede")]);
    expect(journalRows(dir)).toBe(0);
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { keysOf } from "../src/search/embedded-doc-fields.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import { decodeDoc, decodeKeys, encodeKeys, encodePayload } from "../src/search/embedded-keys.ts";
import type { CustomerDoc } from "../src/search/search-engine.ts";
import { makeDoc } from "./search-engine.contract.ts";

const jansen = makeDoc("c1", {
  surname: "jansen",
  surnameParts: ["jansen"],
  firstNames: ["jan", "pieter"],
  initials: "jp",
  phonetic: ["jansn", "jan", "pitr"],
  birthDate: "1980-02-29",
  postcode: "1234 AB",
  city: "amsterdam",
  phones: ["+31612345678"],
  policyNumbers: ["RB20240012"],
});

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "kh-embedded-storage-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// Any string, including empty ones and the separators the compact form uses.
const text = fc.string({
  unit: fc.constantFrom("a", "b", " ", "-", "\u0001", "\u001d", "\u001e", "\u001f"),
  maxLength: 6,
});
const list = fc.array(text, { maxLength: 3 });

describe("embedded engine storage: matching keys and payload each stored once", () => {
  it("a document read back from its keys and payload equals the document as JSON would keep it", () => {
    fc.assert(
      fc.property(
        fc.record(
          { surname: text, city: text, postcode: text, surnameParts: list, phones: list, street: list },
          { requiredKeys: [] },
        ),
        (fields) => {
          const doc = { ...makeDoc("c9"), ...fields } as CustomerDoc;
          const expected = JSON.parse(JSON.stringify(doc));
          expect(decodeDoc("c9", encodeKeys(doc), encodePayload(doc))).toEqual(expected);
          expect(decodeKeys("c9", encodeKeys(doc))).toEqual(JSON.parse(JSON.stringify(keysOf(doc))));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("loads a table written in the older layout (whole document as JSON), updates it, and rebuilds into the new one", async () => {
    const dir = tempDir();
    const old = new DatabaseSync(join(dir, "search.sqlite"));
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('live', 'docs_1');
      CREATE TABLE docs_1 (customerId TEXT PRIMARY KEY, keys TEXT, doc TEXT NOT NULL) WITHOUT ROWID;`);
    old
      .prepare("INSERT INTO docs_1 VALUES (?, ?, ?)")
      .run("c1", JSON.stringify(keysOf(jansen)), JSON.stringify(jansen));
    const vos = makeDoc("c2", { surname: "vos", surnameParts: ["vos"], city: "utrecht" });
    old.prepare("INSERT INTO docs_1 (customerId, doc) VALUES (?, ?)").run("c2", JSON.stringify(vos));
    old.close();

    let engine = new EmbeddedSearchEngine({ dataDir: dir });
    await engine.init();
    const byCity = {
      should: [{ field: "city" as const, values: ["amsterdam"], match: "exact" as const }],
      size: 5,
    };
    expect(await engine.retrieve(byCity)).toEqual([jansen]);
    expect(await engine.get("c2")).toEqual(vos);
    // Moving Jansen takes the old city out of the index.
    await engine.upsert([{ ...jansen, city: "ede" }]);
    expect(await engine.retrieve(byCity)).toEqual([]);

    const rebuild = await engine.beginRebuild();
    await rebuild.upsert([jansen, vos]);
    await rebuild.commit();
    await engine.close();
    engine = new EmbeddedSearchEngine({ dataDir: dir });
    await engine.init();
    expect(await engine.retrieve(byCity)).toEqual([jansen]);
    expect(await engine.get("c2")).toEqual(vos);
    await engine.close();

    const db = new DatabaseSync(join(dir, "search.sqlite"));
    const live = db.prepare("SELECT value FROM meta WHERE key = 'live'").get() as { value: string };
    const columns = db.prepare(`PRAGMA table_info(${live.value})`).all() as Array<{ name: string }>;
    const row = db.prepare(`SELECT payload FROM ${live.value} WHERE customerId = 'c1'`).get() as {
      payload: string;
    };
    db.close();
    expect(columns.map((c) => c.name)).toEqual(["customerId", "keys", "payload"]);
    // The payload holds what a result shows, not the matching keys a second time.
    expect(row.payload).not.toContain("jansn");
    expect(JSON.parse(row.payload)).toEqual({
      kind: "P",
      partners: jansen.partners,
      view: jansen.view,
      policies: [],
    });
  });

  it("restarts from compact keys and finds an updated document by its new keys only", async () => {
    const dir = tempDir();
    let engine = new EmbeddedSearchEngine({ dataDir: dir });
    await engine.init();
    await engine.upsert([jansen, { ...jansen, customerId: "c3", phones: ["+31699999999"] }]);
    await engine.upsert([{ ...jansen, phones: ["+31600000000"] }]);
    await engine.close();
    engine = new EmbeddedSearchEngine({ dataDir: dir });
    await engine.init();
    const byPhone = (phone: string) => ({
      should: [{ field: "phones" as const, values: [phone], match: "exact" as const }],
      size: 5,
    });
    expect((await engine.retrieve(byPhone("+31612345678"))).map((d) => d.customerId)).toEqual([]);
    expect((await engine.retrieve(byPhone("+31600000000"))).map((d) => d.customerId)).toEqual(["c1"]);
    expect(await engine.count()).toBe(2);
    await engine.remove(["c1"]);
    expect(await engine.retrieve(byPhone("+31600000000"))).toEqual([]);
    await engine.close();
  });
});

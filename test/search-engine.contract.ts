import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CustomerDoc, RetrievalQuery, SearchEngine } from "../src/search/search-engine.ts";

/** How the contract obtains engines: a fresh empty one per case, optionally reopened on the same data. */
export interface SearchEngineContractOptions {
  /** A new, initialised, empty engine. */
  newEngine: () => Promise<SearchEngine>;
  /** Closes `engine` and opens a new one on the same data (engines that persist locally). */
  reopen?: (engine: SearchEngine) => Promise<SearchEngine>;
  /** Drops whatever `engine` created (indexes, files); called after each case. */
  dispose?: (engine: SearchEngine) => Promise<void>;
}

/**
 * Contract options for an engine that keeps its data in a directory: each case gets a fresh temporary
 * directory (named `prefix…`), reopen opens the same directory again, dispose deletes it.
 */
export function localEngineOptions(
  prefix: string,
  create: (dataDir: string) => SearchEngine,
): SearchEngineContractOptions {
  const dirs = new Map<SearchEngine, string>();
  const open = async (dir: string) => {
    const engine = create(dir);
    await engine.init();
    dirs.set(engine, dir);
    return engine;
  };
  return {
    newEngine: () => open(mkdtempSync(join(tmpdir(), prefix))),
    reopen: async (engine) => {
      await engine.close();
      return open(dirs.get(engine)!);
    },
    dispose: async (engine) => {
      await engine.close();
      rmSync(dirs.get(engine)!, { recursive: true, force: true });
    },
  };
}

/** A CustomerDoc with sensible empty defaults, as the mapping would build it. */
export function makeDoc(customerId: string, fields: Partial<CustomerDoc> = {}): CustomerDoc {
  return {
    customerId,
    kind: "P",
    surnameParts: [],
    firstNames: [],
    companyWords: [],
    phonetic: [],
    street: [],
    phones: [],
    policyNumbers: [],
    partners: ["VOLMACHT-A"],
    view: { kind: "P", displayName: customerId, address: { country: "NL" }, phones: [] },
    policies: [],
    ...fields,
  };
}

const ids = (docs: readonly CustomerDoc[]) => docs.map((d) => d.customerId).sort();
const q = (query: Partial<RetrievalQuery>): RetrievalQuery => ({ should: [], size: 10, ...query });

const people: CustomerDoc[] = [
  makeDoc("jansen", {
    surname: "jansen",
    surnameParts: ["jansen"],
    firstNames: ["jan", "pieter"],
    initials: "jp",
    phonetic: ["jansn", "jan", "pitr"],
    birthDate: "1980-02-29",
    postcode: "1234 AB",
    postcodeArea: "1234",
    houseNumber: "12A",
    houseNumberBase: "12",
    street: ["dorpsstraat"],
    city: "amsterdam",
    phones: ["+31612345678"],
    email: "jan@example.nl",
    policyNumbers: ["RB20240012"],
  }),
  makeDoc("hendriksen", {
    surname: "hendriksen",
    surnameParts: ["hendriksen"],
    firstNames: ["marieke"],
    birthDate: "1975-06-01",
    postcode: "1234 AC",
    postcodeArea: "1234",
    houseNumber: "7",
    houseNumberBase: "7",
    city: "amstelveen",
    phones: ["+31201234567"],
    policyNumbers: ["TB77"],
  }),
  makeDoc("bos", { surname: "bos", surnameParts: ["bos"], birthDate: "1980-02-29", city: "utrecht" }),
  makeDoc("vos", { surname: "vos", surnameParts: ["vos"], birthDate: "1990-01-01", city: "utrecht" }),
  makeDoc("berg", {
    surname: "berg-de vries",
    surnameParts: ["berg", "vries"],
    tussenvoegsel: "van der",
    birthDate: "1962-12-31",
    city: "'s-hertogenbosch",
  }),
];

/** The SearchEngine contract: every adapter must pass these cases against a real engine. */
export function runSearchEngineContract(options: SearchEngineContractOptions): void {
  let engine: SearchEngine;
  beforeEach(async () => {
    engine = await options.newEngine();
  });
  afterEach(async () => {
    await options.dispose?.(engine);
    await engine.close();
  });

  const load = async (docs: readonly CustomerDoc[]) => {
    const result = await engine.upsert(docs);
    await engine.refresh();
    return result;
  };

  describe("documents", () => {
    it("stores, returns, replaces and removes documents", async () => {
      expect(await engine.count()).toBe(0);
      expect(await load(people)).toEqual({ written: people.length, rejected: [] });
      expect(await engine.count()).toBe(people.length);
      expect(await engine.get("jansen")).toEqual(people[0]);
      expect(await engine.get("nobody")).toBeNull();
      await load([{ ...people[0]!, city: "haarlem" }]);
      expect(await engine.count()).toBe(people.length);
      expect((await engine.get("jansen"))?.city).toBe("haarlem");
      expect(
        ids(await engine.retrieve(q({ should: [{ field: "city", values: ["amsterdam"], match: "exact" }] }))),
      ).toEqual([]);
      await engine.remove(["jansen", "nobody"]);
      await engine.refresh();
      expect(await engine.count()).toBe(people.length - 1);
      expect(await engine.get("jansen")).toBeNull();
      expect(
        await engine.retrieve(q({ should: [{ field: "surname", values: ["jansen"], match: "exact" }] })),
      ).toEqual([]);
    });

    it("finds a customer two partners deliver by every phone and every e-mail, and hands the lists back", async () => {
      const twoPartners = makeDoc("devries", {
        surname: "vries",
        surnameParts: ["vries"],
        phones: ["+31655501234", "+31699990000"],
        email: ["amdevries@example.com", "anna@example.nl"],
        partners: ["TUSSEN-B", "VOLMACHT-A"],
      });
      await load([...people, twoPartners]);
      for (const [field, value] of [
        ["phones", "+31699990000"],
        ["phones", "+31655501234"],
        ["email", "anna@example.nl"],
        ["email", "amdevries@example.com"],
      ] as const)
        expect(
          ids(await engine.retrieve(q({ should: [{ field, values: [value], match: "exact" }] }))),
        ).toEqual(["devries"]);
      expect(await engine.get("devries")).toEqual(twoPartners);
      // Written again with one partner's e-mail only, the other address no longer finds her.
      await load([{ ...twoPartners, email: "anna@example.nl" }]);
      expect(
        await engine.retrieve(
          q({ should: [{ field: "email", values: ["amdevries@example.com"], match: "exact" }] }),
        ),
      ).toEqual([]);
    });

    it("reports a malformed document as rejected with a reason and writes the rest", async () => {
      const bad = makeDoc("bad-date", { surname: "kapot", birthDate: "29-02-1980" });
      const result = await load([people[0]!, bad, people[1]!]);
      expect(result.written).toBe(2);
      expect(result.rejected).toHaveLength(1);
      expect(result.rejected[0]!.customerId).toBe("bad-date");
      expect(result.rejected[0]!.reason.length).toBeGreaterThan(0);
      expect(await engine.count()).toBe(2);
      expect(await engine.get("bad-date")).toBeNull();
    });
  });

  describe("retrieval", () => {
    beforeEach(async () => {
      await load(people);
    });

    it.each([
      ["phones", "+31612345678", ["jansen"]],
      ["postcode", "1234 AB", ["jansen"]],
      ["postcodeArea", "1234", ["hendriksen", "jansen"]],
      ["birthDate", "1980-02-29", ["bos", "jansen"]],
      ["houseNumber", "12A", ["jansen"]],
      ["houseNumberBase", "12", ["jansen"]],
      ["policyNumbers", "TB77", ["hendriksen"]],
      ["email", "jan@example.nl", ["jansen"]],
      ["tussenvoegsel", "van der", ["berg"]],
      ["surnameParts", "vries", ["berg"]],
      ["city", "'s-hertogenbosch", ["berg"]],
    ] as const)("finds %s %s exactly", async (field, value, expected) => {
      const found = await engine.retrieve(q({ should: [{ field, values: [value], match: "exact" }] }));
      expect(ids(found)).toEqual(expected);
    });

    it("answers a value that is not a date, asked of the birth date, with nothing rather than an error", async () => {
      const found = await engine.retrieve(
        q({
          should: [
            { field: "birthDate", values: ["jansen"], match: "exact" },
            { field: "birthDate", values: ["1980-02"], match: "prefix" },
          ],
        }),
      );
      expect(ids(found)).toEqual(["bos", "jansen"]);
    });

    it("does not treat an exact field as a prefix or a typo", async () => {
      const found = await engine.retrieve(
        q({ should: [{ field: "phones", values: ["+3161234567"], match: "exact" }] }),
      );
      expect(found).toEqual([]);
    });

    it("finds by prefix on name, street and city words", async () => {
      expect(
        ids(
          await engine.retrieve(
            q({ should: [{ field: "surnameParts", values: ["hendr"], match: "prefix" }] }),
          ),
        ),
      ).toEqual(["hendriksen"]);
      expect(
        ids(await engine.retrieve(q({ should: [{ field: "city", values: ["amst"], match: "prefix" }] }))),
      ).toEqual(["hendriksen", "jansen"]);
      expect(
        ids(await engine.retrieve(q({ should: [{ field: "street", values: ["dorps"], match: "prefix" }] }))),
      ).toEqual(["jansen"]);
      expect(
        await engine.retrieve(q({ should: [{ field: "surnameParts", values: ["hendx"], match: "prefix" }] })),
      ).toEqual([]);
    });

    it.each([
      ["jnasen", "a transposition"],
      ["jansne", "a transposition at the end"],
      ["jansem", "a substitution"],
      ["janssen", "an extra letter"],
      ["jasen", "a missing letter"],
      ["jnassen", "two edits in a long word"],
    ])("finds jansen despite %s (%s)", async (typed) => {
      const found = await engine.retrieve(
        q({ should: [{ field: "surnameParts", values: [typed], match: "fuzzy" }] }),
      );
      expect(ids(found)).toContain("jansen");
    });

    it("keeps the typo net within the edit budget", async () => {
      // Three edits are too many, and a short word tolerates one edit only.
      expect(
        await engine.retrieve(q({ should: [{ field: "surnameParts", values: ["jxnxxn"], match: "fuzzy" }] })),
      ).toEqual([]);
      expect(
        ids(
          await engine.retrieve(q({ should: [{ field: "surnameParts", values: ["bos"], match: "fuzzy" }] })),
        ),
      ).toEqual(["bos", "vos"]);
      expect(
        await engine.retrieve(q({ should: [{ field: "surnameParts", values: ["bxx"], match: "fuzzy" }] })),
      ).toEqual([]);
    });

    it("answers documents matching any should clause, and only those passing every must clause", async () => {
      const any = await engine.retrieve(
        q({
          should: [
            { field: "surnameParts", values: ["bos"], match: "exact" },
            { field: "phones", values: ["+31201234567"], match: "exact" },
          ],
        }),
      );
      expect(ids(any)).toEqual(["bos", "hendriksen"]);
      const filtered = await engine.retrieve(
        q({
          should: [{ field: "surnameParts", values: ["bos"], match: "fuzzy" }],
          must: [{ field: "birthDate", values: ["1980-02-29"], match: "exact" }],
        }),
      );
      expect(ids(filtered)).toEqual(["bos"]);
      const onlyMust = await engine.retrieve(
        q({ must: [{ field: "city", values: ["utrecht"], match: "exact" }] }),
      );
      expect(ids(onlyMust)).toEqual(["bos", "vos"]);
      const bothMust = await engine.retrieve(
        q({
          must: [
            { field: "birthDate", values: ["1980-02-29"], match: "exact" },
            { field: "city", values: ["utrecht", "amstelveen"], match: "exact" },
          ],
        }),
      );
      expect(ids(bothMust)).toEqual(["bos"]);
      const mustAndShould = await engine.retrieve(
        q({
          should: [{ field: "postcodeArea", values: ["1234"], match: "exact" }],
          must: [
            { field: "city", values: ["amst"], match: "prefix" },
            { field: "birthDate", values: ["1975-06-01"], match: "exact" },
          ],
        }),
      );
      expect(ids(mustAndShould)).toEqual(["hendriksen"]);
    });

    it("answers a retrieve after an upsert, remove or rebuild with the document as it is now", async () => {
      await load(people);
      const byPolicy = q({ should: [{ field: "policyNumbers", values: ["RB20240012"], match: "exact" }] });
      expect(await engine.retrieve(byPolicy)).toEqual([people[0]]);
      const moved = { ...people[0]!, view: { ...people[0]!.view, displayName: "J.P. Jansen (verhuisd)" } };
      await load([moved]);
      expect(await engine.retrieve(byPolicy)).toEqual([moved]);
      const rebuild = await engine.beginRebuild();
      const renamed = { ...moved, view: { ...moved.view, displayName: "J.P. Jansen (herbouwd)" } };
      await rebuild.upsert([renamed]);
      await rebuild.commit();
      await engine.refresh();
      expect(await engine.retrieve(byPolicy)).toEqual([renamed]);
      await engine.remove(["jansen"]);
      await engine.refresh();
      expect(await engine.retrieve(byPolicy)).toEqual([]);
    });

    it("returns whole documents with their display payload", async () => {
      const [doc] = await engine.retrieve(
        q({ should: [{ field: "policyNumbers", values: ["RB20240012"], match: "exact" }] }),
      );
      expect(doc).toEqual(people[0]);
    });
  });

  describe("values", () => {
    it("lists a field's values most common first, with how many documents hold each, as they are now", async () => {
      await load(people);
      const top = await engine.topValues("city", 10);
      expect(top[0]).toEqual({ value: "utrecht", count: 2 });
      expect([...top.slice(1)].sort((a, b) => (a.value < b.value ? -1 : 1))).toEqual([
        { value: "'s-hertogenbosch", count: 1 },
        { value: "amstelveen", count: 1 },
        { value: "amsterdam", count: 1 },
      ]);
      expect(await engine.topValues("city", 1)).toEqual([{ value: "utrecht", count: 2 }]);
      await engine.remove(["hendriksen", "bos"]);
      await engine.refresh();
      expect((await engine.topValues("city", 10)).map((v) => `${v.value} ${v.count}`).sort()).toEqual([
        "'s-hertogenbosch 1",
        "amsterdam 1",
        "utrecht 1",
      ]);
    });
  });

  describe("size", () => {
    it("never returns more than size, and fills it with the best-matching documents first", async () => {
      const many = Array.from({ length: 40 }, (_, i) =>
        makeDoc(`p${String(i).padStart(2, "0")}`, {
          surnameParts: [`pietersen${i % 2 ? "" : "s"}`],
          city: "delft",
        }),
      );
      const target = makeDoc("target", { surnameParts: ["pietersen"], city: "delft", postcode: "2611 AA" });
      await load([...many, target]);
      const query = q({
        should: [
          { field: "city", values: ["delft"], match: "exact" },
          { field: "postcode", values: ["2611 AA"], match: "exact" },
        ],
        size: 5,
      });
      const found = await engine.retrieve(query);
      expect(found).toHaveLength(5);
      expect(ids(found)).toContain("target");
      const one = await engine.retrieve({ ...query, size: 1 });
      expect(ids(one)).toEqual(["target"]);
    });
  });

  describe("ties", () => {
    it("fills size among equally good candidates by customerId, so every engine picks the same ones", async () => {
      const docs = [17, 3, 29, 11, 5, 23, 2, 31, 13, 7, 19].map((n) =>
        makeDoc(`t${String(n).padStart(2, "0")}`, { surnameParts: ["gelijk"], city: n % 2 ? "ede" : "epe" }),
      );
      await load(docs);
      const should = q({ should: [{ field: "surnameParts", values: ["gelijk"], match: "exact" }], size: 4 });
      expect(ids(await engine.retrieve(should))).toEqual(["t02", "t03", "t05", "t07"]);
      const must = q({ must: [{ field: "city", values: ["ede"], match: "exact" }], size: 3 });
      expect(ids(await engine.retrieve(must))).toEqual(["t03", "t05", "t07"]);
    });
  });

  describe("rebuild", () => {
    it("keeps answering from the old index until commit, then swaps atomically", async () => {
      await load(people);
      const rebuild = await engine.beginRebuild();
      const fresh = [makeDoc("nieuw", { surnameParts: ["nieuwenhuis"], city: "utrecht" }), people[2]!];
      const query = q({ should: [{ field: "city", values: ["utrecht"], match: "exact" }] });
      let searches = 0;
      let empty = 0;
      let stop = false;
      const load$ = (async () => {
        while (!stop) {
          const found = await engine.retrieve(query);
          searches++;
          if (found.length === 0) empty++;
          await new Promise((r) => setTimeout(r, 1));
        }
      })();
      for (let i = 0; i < 20; i++) {
        const batch = Array.from({ length: 25 }, (_, j) => makeDoc(`r${i}-${j}`, { city: "zwolle" }));
        expect((await rebuild.upsert(batch)).rejected).toEqual([]);
      }
      await rebuild.upsert(fresh);
      // Before commit the live index still holds the old documents only.
      expect(ids(await engine.retrieve(query))).toEqual(["bos", "vos"]);
      expect(await engine.count()).toBe(people.length);
      await rebuild.commit();
      await engine.refresh();
      stop = true;
      await load$;
      expect(searches).toBeGreaterThan(0);
      expect(empty).toBe(0);
      expect(ids(await engine.retrieve(query))).toEqual(["bos", "nieuw"]);
      expect(await engine.count()).toBe(502);
      expect(await engine.get("jansen")).toBeNull();
    });

    it("leaves the live index untouched when a rebuild is aborted", async () => {
      await load(people);
      const rebuild = await engine.beginRebuild();
      await rebuild.upsert([makeDoc("weg", { city: "utrecht" })]);
      await rebuild.abort();
      await engine.refresh();
      expect(await engine.count()).toBe(people.length);
      expect(await engine.get("weg")).toBeNull();
      await load([makeDoc("daarna", { city: "utrecht" })]);
      expect(await engine.count()).toBe(people.length + 1);
    });
  });

  if (options.reopen) {
    const reopen = options.reopen;
    describe("persistence", () => {
      it("finds what was written after a restart, including a committed rebuild", async () => {
        await load(people);
        engine = await reopen(engine);
        expect(await engine.count()).toBe(people.length);
        expect(
          ids(
            await engine.retrieve(
              q({ should: [{ field: "surnameParts", values: ["jnasen"], match: "fuzzy" }] }),
            ),
          ),
        ).toEqual(["jansen"]);
        const rebuild = await engine.beginRebuild();
        await rebuild.upsert([people[1]!]);
        await rebuild.commit();
        engine = await reopen(engine);
        expect(await engine.count()).toBe(1);
        expect(await engine.get("hendriksen")).toEqual(people[1]);
        expect(await engine.get("jansen")).toBeNull();
      });
    });
  }
}

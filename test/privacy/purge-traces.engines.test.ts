import { randomBytes } from "node:crypto";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createElasticsearchEngine, createOpenSearchEngine } from "../../src/search/elastic-engine.ts";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { type Harness, startHarness } from "../api/support/harness.ts";
import { describeWithEngine } from "../support/engines.ts";
import { deliver, runJob, searchIds } from "./support/api.ts";
import { monthsAgo, NEWER_ROWS, OTHERS_OLD, PERSON_ROWS, PERSON_TRACES } from "./support/person.ts";

const SEARCH_ENGINES = {
  opensearch: { title: "OpenSearch", urlVar: "OPENSEARCH_URL", create: createOpenSearchEngine },
  elasticsearch: { title: "Elasticsearch", urlVar: "ELASTICSEARCH_URL", create: createElasticsearchEngine },
} as const;

for (const [search, { title, urlVar, create }] of Object.entries(SEARCH_ENGINES)) {
  describeWithEngine(search as keyof typeof SEARCH_ENGINES, "a purge leaves no trace in the index", (url) => {
    describeWithEngine("mongodb", `on MongoDB + ${title}, through the engine's own API`, (mongoUrl) => {
      const suffix = randomBytes(4).toString("hex");
      const dbName = `kh_privacy_${suffix}`;
      const prefix = `kh-privacy-${suffix}-`;
      const alias = `${prefix}customers`;
      let h: Harness;
      const rest = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: { "content-type": "application/json" },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        expect(res.status, path).toBeLessThan(300);
        return res.json() as Promise<Record<string, unknown>>;
      };

      beforeAll(async () => {
        h = await startHarness(
          { STORE: "mongodb", MONGODB_URL: mongoUrl, SEARCH: search, [urlVar]: url },
          { store: new MongoStore({ url: mongoUrl, dbName }), enginePrefix: prefix },
        );
        await deliver(h, "VOLMACHT-A", monthsAgo(25), [...PERSON_ROWS, ...OTHERS_OLD]);
        await deliver(h, "VOLMACHT-B", monthsAgo(1), NEWER_ROWS);
        expect(await searchIds(h, { name: "Quirijnsdochter", birthDate: "17-04-1961" })).toHaveLength(1);
      }, 180_000);
      afterAll(async () => {
        await h?.close();
        const client = new MongoClient(mongoUrl);
        await client.db(dbName).dropDatabase();
        await client.close();
        const engine = create(url, { prefix });
        await engine.dropAll();
        await engine.close();
      });

      it("the receipt names both stores' checks; the index holds no document, live or deleted, with her values", async () => {
        const job = await runJob(h, { type: "purge" });
        expect(job.status, job.error).toBe("completed");
        const receipt = job.receipt!;
        expect(receipt.stores[0]).toMatchObject({
          name: "mongodb",
          counts: { deliveries: 1, customersDeleted: 1 },
          verification: [{ found: 0 }],
        });
        expect(receipt.stores[0]!.verification[0]!.query).toContain("db.deliveries.countDocuments");
        expect(receipt.indexes[0]).toMatchObject({
          name: search,
          counts: { documentsRemoved: 1 },
          scrub: { ok: true, details: { deletedDocsAfter: 0 } },
        });
        for (const v of receipt.indexes[0]!.verification) expect(v, v.query).toMatchObject({ found: 0 });

        const stats = await rest("GET", `/${alias}/_stats/docs`);
        const docs = (stats as { _all: { primaries: { docs: { count: number; deleted: number } } } })._all
          .primaries.docs;
        expect(docs).toMatchObject({ count: 2, deleted: 0 });
        const all = JSON.stringify(
          await rest("POST", `/${alias}/_search`, { size: 100, query: { match_all: {} } }),
        );
        for (const trace of PERSON_TRACES) expect(all.includes(trace), trace).toBe(false);
        const bySurname = await rest("POST", `/${alias}/_count`, {
          query: { term: { surname: "quirijnsdochter" } },
        });
        expect(bySurname.count).toBe(0);
        expect(await searchIds(h, { name: "Jansen", birthDate: "21-07-1980" })).toHaveLength(1);
      }, 240_000);
    });
  });
}

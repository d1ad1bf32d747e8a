import { randomUUID } from "node:crypto";
import { Client as ElasticClient } from "@elastic/elasticsearch";
import { Client as OpenSearchClient } from "@opensearch-project/opensearch";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithEngine } from "./support/engines.ts";

// The smallest real round-trip per engine: proves the engines this run claims to use answer, before the
// bigger suites blame their own code for an engine that is not there.

const suffix = randomUUID().slice(0, 8);
const doc = { naam: "Jansen", postcode: "1234AB", geboortedatum: "1980-05-17" };

describeWithEngine("opensearch", "engine smoke", (url) => {
  const index = `smoke-${suffix}`;
  let client: OpenSearchClient;
  beforeAll(() => {
    client = new OpenSearchClient({ node: url });
  });
  afterAll(async () => {
    await client?.indices.delete({ index }).catch(() => undefined);
    await client?.close();
  });

  it("reports a usable cluster (yellow or green)", async () => {
    const { body } = await client.cluster.health({ wait_for_status: "yellow", timeout: "30s" });
    expect(["yellow", "green"]).toContain(body.status);
  });

  it("indexes, finds, gets and deletes a document", async () => {
    await client.index({ index, id: "c1", body: doc, refresh: true });
    const found = await client.search({ index, body: { query: { match: { naam: "jansen" } } } });
    expect(found.body.hits.hits.map((h) => h._id)).toEqual(["c1"]);
    const got = await client.get({ index, id: "c1" });
    expect(got.body._source).toEqual(doc);
    await client.delete({ index, id: "c1", refresh: true });
    const gone = await client.get({ index, id: "c1" }).catch((e: { statusCode?: number }) => e);
    expect((gone as { statusCode?: number }).statusCode).toBe(404);
  });
});

describeWithEngine("elasticsearch", "engine smoke", (url) => {
  const index = `smoke-${suffix}`;
  let client: ElasticClient;
  beforeAll(() => {
    client = new ElasticClient({ node: url });
  });
  afterAll(async () => {
    await client?.indices.delete({ index }).catch(() => undefined);
    await client?.close();
  });

  it("reports a usable cluster (yellow or green)", async () => {
    const health = await client.cluster.health({ wait_for_status: "yellow", timeout: "30s" });
    expect(["yellow", "green"]).toContain(health.status);
  });

  it("indexes, finds, gets and deletes a document", async () => {
    await client.index({ index, id: "c1", document: doc, refresh: true });
    const found = await client.search({ index, query: { match: { naam: "jansen" } } });
    expect(found.hits.hits.map((h) => h._id)).toEqual(["c1"]);
    const got = await client.get({ index, id: "c1" });
    expect(got._source).toEqual(doc);
    await client.delete({ index, id: "c1", refresh: true });
    expect(await client.exists({ index, id: "c1" })).toBe(false);
  });
});

describeWithEngine("mongodb", "engine smoke", (url) => {
  const dbName = `smoke_${suffix}`;
  let client: MongoClient;
  beforeAll(async () => {
    client = await new MongoClient(url, { serverSelectionTimeoutMS: 10_000 }).connect();
  });
  afterAll(async () => {
    await client
      ?.db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client?.close();
  });

  it("answers ping", async () => {
    expect((await client.db("admin").command({ ping: 1 })).ok).toBe(1);
  });

  it("inserts, finds and deletes a document", async () => {
    const customers = client.db(dbName).collection<{ _id: string } & typeof doc>("customers");
    await customers.insertOne({ _id: "c1", ...doc });
    expect(await customers.findOne({ postcode: "1234AB" })).toEqual({ _id: "c1", ...doc });
    expect((await customers.deleteOne({ _id: "c1" })).deletedCount).toBe(1);
    expect(await customers.countDocuments()).toBe(0);
  });
});

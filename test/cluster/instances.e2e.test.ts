import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePortfolio, toCsv } from "../../src/demo/generator.ts";
import { INTAKE_LEASE } from "../../src/ingest/delivery-intake.ts";
import { createElasticsearchEngine, createOpenSearchEngine } from "../../src/search/elastic-engine.ts";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { describeWithEngine, type EngineName, engineUrl } from "../support/engines.ts";
import { type Instance, startInstance, until } from "../support/instance.ts";
import { registerPartners } from "../support/partners.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";

const PARTNER = "VOLMACHT-A";
/** Short leases so a dead instance's work is taken over within seconds; waits are on conditions. */
const LEASE_TTL_MS = "2000";

/** A generated portfolio as one CSV file, with its policy numbers. */
function portfolio(customers: number, seed: number) {
  const rows = [...generatePortfolio({ customers, seed, partners: [PARTNER] })];
  return { csv: [...toCsv(rows)].join(""), policies: rows.map((r) => r.columns.polisnummer) };
}

interface Delivery {
  id: string;
  status: string;
  counts: { rows: number; accepted: number; rejected: number };
}
interface Job {
  id: string;
  status: string;
  coveredBy?: string;
}

/**
 * Two service instances (`src/main.ts` in child processes) on one MongoDB-compatible store and one
 * search engine: a delivery to A is found through B; the instance processing a delivery killed
 * midway and the other finishing it; a reindex asked of both at once that runs once. Each instance reaches the engine through a TCP proxy
 * the test can pause, to hold an instance in the middle of its work deterministically.
 */
describeWithEngine("mongodb", "two service instances on one store", (mongoUrl) => {
  for (const engine of ["opensearch", "elasticsearch"] as const satisfies EngineName[]) {
    const url = engineUrl(engine);
    if (!url) {
      describe.skip(`on ${engine} [skipped: ${engine} is not configured]`, () => {});
      continue;
    }
    describe(`on ${engine}`, () => clusterCases(mongoUrl, engine, url));
  }
});

function clusterCases(mongoUrl: string, engine: "opensearch" | "elasticsearch", engineBase: string): void {
  const tag = randomBytes(4).toString("hex");
  const dbName = `kh_cluster_${tag}`;
  const prefix = `cluster-${tag}`;
  let dataDir: string;
  let store: MongoStore;
  const proxies: Record<"a" | "b", TcpProxy | undefined> = { a: undefined, b: undefined };
  const running: Instance[] = [];
  let a: Instance;
  let b: Instance;
  const tokens = new Map<string, string>();

  const start = async (name: "a" | "b") => {
    const instance = await startInstance(name, {
      DATA_DIR: dataDir,
      STORE: "mongodb",
      MONGODB_URL: `${mongoUrl.replace(/\/?$/, "/")}${dbName}`,
      SEARCH: engine,
      [engine === "opensearch" ? "OPENSEARCH_URL" : "ELASTICSEARCH_URL"]: proxies[name]!.url,
      SEARCH_INDEX_PREFIX: prefix,
      LEASE_TTL_MS,
      VERIFY_LOCKOUT_ATTEMPTS: "3",
      RATE_LIMIT_AGENT_PER_MINUTE: "100000",
      RATE_LIMIT_BOT_PER_MINUTE: "100000",
      RATE_LIMIT_ADMIN_PER_MINUTE: "100000",
    });
    running.push(instance);
    return instance;
  };
  const token = async (base: string, role: string) => {
    const cached = tokens.get(role);
    if (cached) return cached;
    const res = await fetch(`${base}/app/dev-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ role, name: `cluster-${role}` }),
    });
    if (!res.ok) throw new Error(`dev token: ${res.status} ${await res.text()}`);
    const t = ((await res.json()) as { token: string }).token;
    tokens.set(role, t);
    return t;
  };
  const call = async (i: Instance, role: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${i.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token(i.base, role)}`,
        ...(typeof body === "string"
          ? { "content-type": "text/csv" }
          : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as unknown };
  };
  const deliver = async (i: Instance, csv: string) => {
    const r = await call(
      i,
      "admin",
      "POST",
      `/v1/deliveries?partner=${PARTNER}&kind=mutation&format=csv`,
      csv,
    );
    expect(r.status).toBe(202);
    return (r.body as { id: string }).id;
  };
  const delivery = async (i: Instance, id: string) =>
    (await call(i, "admin", "GET", `/v1/deliveries/${id}`)).body as Delivery;
  const completed = (i: Instance, id: string) =>
    until(`delivery ${id} completed (through ${i.name})`, async () => {
      const d = await delivery(i, id);
      return d.status === "completed" ? d : undefined;
    });
  const found = async (i: Instance, policyNumber: string) => {
    const r = await call(i, "agent", "POST", "/v1/search", { policyNumber });
    expect(r.status).toBe(200);
    const results = (r.body as { results: Array<{ policies: Array<{ policyNumber: string }> }> }).results;
    return results.some((res) => res.policies.some((p) => p.policyNumber === policyNumber));
  };
  const committedReindexes = () =>
    running.reduce((n, i) => n + (i.output().match(/full reindex committed/g)?.length ?? 0), 0);
  const searchEngine = () =>
    engine === "opensearch"
      ? createOpenSearchEngine(engineBase, { prefix })
      : createElasticsearchEngine(engineBase, { prefix });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "kh-cluster-"));
    proxies.a = await startTcpProxy(engineBase);
    proxies.b = await startTcpProxy(engineBase);
    store = new MongoStore({ url: mongoUrl, dbName });
    await store.init();
    await registerPartners(store, [PARTNER]);
    // A first: it makes the shared dev signing and audit keys in DATA_DIR (a shared volume in production).
    a = await start("a");
    b = await start("b");
  });
  afterAll(async () => {
    for (const p of Object.values(proxies)) p?.resume();
    for (const i of running) await i.stop();
    for (const p of Object.values(proxies)) await p?.close();
    const e = searchEngine();
    await e.dropAll().catch(() => {});
    await e.close();
    await store?.dropDatabase();
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("a delivery submitted to instance A is processed once and found through instance B", async () => {
    const { csv, policies } = portfolio(40, 101);
    const id = await deliver(a, csv);
    const done = await completed(b, id);
    expect(done.counts).toEqual({ rows: policies.length, accepted: policies.length, rejected: 0 });
    for (const p of [policies[0]!, policies.at(-1)!]) {
      expect(await found(b, p)).toBe(true);
      expect(await found(a, p)).toBe(true);
    }
    // The audit has a record of each of the four lookups, written by both instances: one key, so the
    // same query hashes the same wherever it was asked.
    const audit = (await call(b, "admin", "GET", "/v1/audit?subject=cluster-agent")).body as {
      records?: Array<{ id: string; queryHash?: string; endpoint: string }>;
    };
    const records = (Array.isArray(audit) ? audit : (audit.records ?? [])).filter(
      (r) => r.endpoint === "POST /v1/search",
    );
    expect(records).toHaveLength(4);
    expect(new Set(records.map((r) => r.id)).size).toBe(4);
    expect(new Set(records.map((r) => r.queryHash)).size).toBe(2);
  });

  it("the instance processing a delivery killed midway: the other takes it over once the lease expires, to the same end state", async () => {
    const { csv, policies } = portfolio(60, 202);
    // Both engines stall, so whichever instance holds the intake lease (A, or B should a late renewal
    // have let B take it) writes the delivery's rows to the store and then hangs indexing them.
    proxies.a!.pause();
    proxies.b!.pause();
    let victim: Instance | undefined;
    try {
      const id = await deliver(a, csv);
      await until("the delivery processing under the intake lease", async () => {
        const [d, lease] = [await store.getDelivery(id), await store.leases.get(INTAKE_LEASE)];
        return d?.status === "processing" && lease && lease.expiresAt > Date.now() ? true : undefined;
      });
      await until("the delivery's customers stored", async () =>
        (await store.policyNumbersOfPartner(PARTNER)).includes(policies.at(-1)!) ? true : undefined,
      );
      const holder = (await store.leases.get(INTAKE_LEASE))!.owner;
      victim = [a, b].find((i) => i.output().includes(`"instance":"${holder}"`));
      expect(victim, `lease holder ${holder} is one of the instances`).toBeDefined();
      const survivor = victim === a ? b : a;
      expect((await delivery(survivor, id)).status).toBe("processing");

      await victim!.kill();
      proxies[survivor.name as "a" | "b"]!.resume();
      const done = await completed(survivor, id);
      expect(done.counts).toEqual({ rows: policies.length, accepted: policies.length, rejected: 0 });
      const taker = (await store.leases.get(INTAKE_LEASE))!.owner;
      expect(taker).not.toBe(holder);
      expect(survivor.output()).toContain(id);
      // The end state: every policy stored once, every customer in the index, all found through the survivor.
      const numbers = await store.policyNumbersOfPartner(PARTNER);
      for (const p of policies) expect(numbers).toContain(p);
      const e = searchEngine();
      try {
        expect(await e.count()).toBe(await store.countCustomers());
      } finally {
        await e.close();
      }
      for (const p of [policies[0]!, policies[30]!, policies.at(-1)!])
        expect(await found(survivor, p)).toBe(true);
    } finally {
      // Back for the next cases, whatever happened here: both engines reachable, both instances up.
      proxies.a!.resume();
      proxies.b!.resume();
      if (victim === a) a = await start("a");
      if (victim === b) b = await start("b");
    }
  });

  it("failed verifications at both instances add up to one lockout, which both keep", async () => {
    const { policies } = portfolio(40, 101);
    const guess = (i: Instance, birthDate: string) =>
      call(i, "intake-bot", "POST", "/v1/verifications", { policyNumber: policies[1], birthDate });
    const reasons: unknown[] = [];
    for (const [i, day] of [
      [a, "01-01-1901"],
      [b, "02-01-1901"],
      [a, "03-01-1901"],
    ] as const)
      reasons.push(((await guess(i, day)).body as { reason?: string }).reason);
    expect(reasons).toEqual(["NOT_VERIFIED", "NOT_VERIFIED", "NOT_VERIFIED"]);
    for (const i of [b, a])
      expect((await guess(i, "04-01-1901")).body).toEqual({ verified: false, reason: "TEMPORARILY_LOCKED" });
  });

  it("a reindex asked of both instances at once runs once", async () => {
    const before = committedReindexes();
    // Both engines stall, so whichever instance takes the reindex lease holds it until both jobs exist.
    proxies.a!.pause();
    proxies.b!.pause();
    let ids: string[];
    try {
      const [ra, rb] = await Promise.all([
        call(a, "admin", "POST", "/v1/jobs", { type: "reindex" }),
        call(b, "admin", "POST", "/v1/jobs", { type: "reindex" }),
      ]);
      expect([ra.status, rb.status]).toEqual([202, 202]);
      ids = [(ra.body as { id: string }).id, (rb.body as { id: string }).id];
      await until("one reindex running, the other waiting", async () => {
        const jobs = await Promise.all(
          ids.map(async (id) => (await call(b, "admin", "GET", `/v1/jobs/${id}`)).body as Job),
        );
        return jobs
          .map((j) => j.status)
          .sort()
          .join() === "queued,running"
          ? true
          : undefined;
      });
    } finally {
      proxies.a!.resume();
      proxies.b!.resume();
    }
    const jobs = await until("both reindex jobs completed", async () => {
      const js = await Promise.all(
        ids.map(async (id) => (await call(a, "admin", "GET", `/v1/jobs/${id}`)).body as Job),
      );
      return js.every((j) => j.status === "completed") ? js : undefined;
    });
    const ran = jobs.filter((j) => j.coveredBy === undefined);
    expect(ran).toHaveLength(1);
    expect(jobs.find((j) => j.coveredBy !== undefined)?.coveredBy).toBe(ran[0]!.id);
    expect(committedReindexes() - before).toBe(1);
    // Searches still answer through both after the swap.
    const { policies } = portfolio(40, 101);
    expect(await found(a, policies[0]!)).toBe(true);
    expect(await found(b, policies[0]!)).toBe(true);
  });
}

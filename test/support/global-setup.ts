import type { TestProject } from "vitest/node";
import type { EngineName } from "./engines.ts";

type EngineState = { url: string } | { skipped: string };

const VARS: Record<EngineName, string> = {
  mongodb: "MONGODB_URL",
  opensearch: "OPENSEARCH_URL",
  elasticsearch: "ELASTICSEARCH_URL",
};

/** Images started through Docker when an engine's URL is not set; overridable for a newer patch release. */
const IMAGES = {
  elasticsearch: process.env.ELASTICSEARCH_IMAGE ?? "docker.elastic.co/elasticsearch/elasticsearch:9.5.3",
  mongodb: process.env.MONGODB_IMAGE ?? "mongo:8.0",
};

type Stoppable = { stop(): Promise<unknown> };

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 200);
}

/** Whether a Docker (or Podman) engine answers here; the reason when not. Never throws. */
async function dockerAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (process.env.ENGINES_DOCKER === "off")
    return { ok: false, reason: "Docker use is switched off (ENGINES_DOCKER=off)" };
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `no Docker engine is available on this machine (${firstLine(e)})` };
  }
}

/** Starts Elasticsearch 9 (security on, plain HTTP) and returns its URL with the credentials in it. */
async function startElasticsearch(started: Stoppable[]): Promise<string> {
  const { ElasticsearchContainer } = await import("@testcontainers/elasticsearch");
  const c = await new ElasticsearchContainer(IMAGES.elasticsearch).withPassword("test-only-password").start();
  started.push(c);
  const url = new URL(c.getHttpUrl());
  url.username = c.getUsername();
  url.password = c.getPassword();
  return url.toString().replace(/\/$/, "");
}

/** Starts MongoDB 8 as a replica set of one (transactions, change streams) and returns its URL. */
async function startMongo(started: Stoppable[]): Promise<string> {
  const { MongoDBContainer } = await import("@testcontainers/mongodb");
  const c = await new MongoDBContainer(IMAGES.mongodb).start();
  started.push(c);
  // The member is registered under the container's own hostname; from the host only a direct connection works.
  return `${c.getConnectionString()}/?directConnection=true`;
}

const STARTERS: Partial<Record<EngineName, (started: Stoppable[]) => Promise<string>>> = {
  elasticsearch: startElasticsearch,
  mongodb: startMongo,
};

/** Decides once per run which real engines the engine suites use, and says which are skipped and why. */
export default async function setup(project: TestProject) {
  const engines = {} as Record<EngineName, EngineState>;
  const started: Stoppable[] = [];
  const missing = (Object.keys(VARS) as EngineName[]).filter((n) => !process.env[VARS[n]]);
  for (const name of Object.keys(VARS) as EngineName[]) {
    const url = process.env[VARS[name]];
    if (url) engines[name] = { url };
  }

  const startable = missing.filter((n) => STARTERS[n]);
  const docker = startable.length > 0 ? await dockerAvailable() : ({ ok: false, reason: "" } as const);
  if (docker.ok) {
    console.log(`\nStarting ${startable.join(", ")} in Docker (first run pulls the images)…`);
    const results = await Promise.allSettled(startable.map((n) => STARTERS[n]!(started)));
    startable.forEach((name, i) => {
      const r = results[i]!;
      engines[name] =
        r.status === "fulfilled"
          ? { url: r.value }
          : { skipped: `${VARS[name]} is not set and starting it in Docker failed: ${firstLine(r.reason)}` };
    });
  }
  for (const name of missing) {
    if (engines[name]) continue;
    const why = STARTERS[name]
      ? (docker as { reason: string }).reason
      : "it is not started in Docker by the tests (start it with scripts/engines.sh up)";
    engines[name] = { skipped: `${VARS[name]} is not set and ${why}` };
  }

  const stopAll = async () => {
    await Promise.allSettled(started.map((c) => c.stop()));
  };
  const required = (process.env.REQUIRE_ENGINES ?? "").split(",").filter(Boolean) as EngineName[];
  const unavailable = required.filter((n) => !engines[n] || !("url" in engines[n]));
  if (unavailable.length > 0) {
    await stopAll();
    throw new Error(
      `REQUIRE_ENGINES names engines that are not available: ${unavailable
        .map((n) => `${n} (${(engines[n] as { skipped?: string } | undefined)?.skipped ?? "unknown engine"})`)
        .join("; ")}`,
    );
  }
  // Always in the same order, so the summary reads the same from run to run.
  const ordered = Object.fromEntries(
    (Object.keys(VARS) as EngineName[]).map((n) => [n, engines[n]]),
  ) as Record<EngineName, EngineState>;
  project.provide("engines", ordered);
  const lines = Object.entries(ordered).map(
    ([n, e]) => `  ${n}: ${"url" in e ? `running at ${redact(e.url)}` : `SKIPPED (${e.skipped})`}`,
  );
  console.log(`\nEngine suites in this run:\n${lines.join("\n")}\n`);
  return async () => {
    await stopAll();
    const skipped = Object.entries(ordered).filter(([, e]) => !("url" in e));
    if (skipped.length > 0)
      console.log(`\nEngine suites SKIPPED (not passed): ${skipped.map(([n]) => n).join(", ")}\n`);
  };
}

/** Hides a password in a URL before it is printed. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

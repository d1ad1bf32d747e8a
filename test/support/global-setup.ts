import type { TestProject } from "vitest/node";
import type { EngineName } from "./engines.ts";

const VARS: Record<EngineName, string> = {
  mongodb: "MONGODB_URL",
  opensearch: "OPENSEARCH_URL",
  elasticsearch: "ELASTICSEARCH_URL",
};

/** Decides once per run which real engines the engine suites use, and says which are skipped and why. */
export default async function setup(project: TestProject) {
  const engines = {} as Record<EngineName, { url: string } | { skipped: string }>;
  for (const [name, variable] of Object.entries(VARS) as Array<[EngineName, string]>) {
    const url = process.env[variable];
    engines[name] = url ? { url } : { skipped: `${variable} is not set and no Docker engine started one` };
  }
  const required = (process.env.REQUIRE_ENGINES ?? "").split(",").filter(Boolean) as EngineName[];
  const missing = required.filter((n) => !("url" in engines[n]));
  if (missing.length > 0)
    throw new Error(`REQUIRE_ENGINES names engines that are not available: ${missing.join(", ")}`);
  project.provide("engines", engines);
  const lines = Object.entries(engines).map(
    ([n, e]) => `  ${n}: ${"url" in e ? `running at ${e.url}` : `SKIPPED (${e.skipped})`}`,
  );
  console.log(`\nEngine suites in this run:\n${lines.join("\n")}\n`);
  return () => {
    const skipped = Object.entries(engines).filter(([, e]) => !("url" in e));
    if (skipped.length > 0)
      console.log(`\nEngine suites SKIPPED (not passed): ${skipped.map(([n]) => n).join(", ")}\n`);
  };
}

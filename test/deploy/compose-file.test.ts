import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// `<<:` merge keys as Compose reads them (YAML 1.1).
const compose = parse(readFileSync("docker-compose.yml", "utf8"), { merge: true }) as {
  services: Record<string, Record<string, unknown> & { environment?: Record<string, string> }>;
};
const caddyfile = readFileSync("deploy/Caddyfile", "utf8");
const caddy = spawnSync("caddy", ["version"], { encoding: "utf8" });
const haveCaddy = caddy.status === 0;

/** The Compose schema (draft-07; its `$schema` names the https URL, which Ajv knows by the http one). */
function composeSchema(): object {
  const { $schema: _, ...schema } = JSON.parse(readFileSync("deploy/compose-spec.schema.json", "utf8"));
  return schema;
}

/**
 * The deployment files, checked as far as a machine without Docker can: docker-compose.yml against
 * the Compose Specification's schema, the proxy's Caddyfile with Caddy's own validator (Debian's
 * caddy package; CI installs it), and what the deployment promises read from both.
 */
describe("docker-compose.yml and the proxy", () => {
  it("is a valid Compose file by the Compose Specification's JSON schema", () => {
    const schema = composeSchema();
    const ajv = new Ajv({ strict: false, allErrors: true });
    const valid = ajv.validate(schema, compose);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("a broken Compose file is refused by the same check", () => {
    const schema = composeSchema();
    const ajv = new Ajv({ strict: false });
    const broken = structuredClone(compose);
    (broken.services["app-1"] as Record<string, unknown>).healthcheck = { interval: 10 };
    (broken.services["app-2"] as Record<string, unknown>).restart = ["always"];
    expect(ajv.validate(schema, broken)).toBe(false);
  });

  it("runs two instances of one service on MongoDB (replica set) and Elasticsearch 9, health-checked", () => {
    const [a, b] = [compose.services["app-1"]!, compose.services["app-2"]!];
    expect(a).toEqual(b);
    expect(a.environment).toMatchObject({ STORE: "mongodb", SEARCH: "elasticsearch" });
    expect(a.environment?.MONGODB_URL).toMatch(/replicaSet=rs0/);
    expect(JSON.stringify(a.healthcheck)).toContain("/health/ready");
    expect(compose.services.mongodb!.image).toMatch(/mongo:8/);
    expect(compose.services.mongodb!.command).toEqual(expect.arrayContaining(["--replSet", "rs0"]));
    expect(compose.services.elasticsearch!.image).toMatch(/elasticsearch:9\./);
    for (const name of ["app-1", "mongodb", "elasticsearch", "proxy"])
      expect(compose.services[name]!.healthcheck, name).toBeDefined();
  });

  it("the proxy sends requests to both instances, only while their readiness check passes", () => {
    expect(compose.services.proxy!.depends_on).toMatchObject({ "app-1": { condition: "service_healthy" } });
    expect(caddyfile).toMatch(/reverse_proxy app-1:8080 app-2:8080 \{/);
    expect(caddyfile).toMatch(/health_uri \/health\/ready/);
    // The instances believe X-Forwarded-For from the proxy's fixed address only.
    const proxyAddress = (compose.services.proxy!.networks as Record<string, { ipv4_address: string }>)
      .backend!.ipv4_address;
    expect(compose.services["app-1"]!.environment?.TRUSTED_PROXIES).toBe(`${proxyAddress}/32`);
  });

  it.skipIf(!haveCaddy)(
    `the Caddyfile passes Caddy's own validator${haveCaddy ? "" : " [skipped: caddy is not installed (apt-get install caddy)]"}`,
    () => {
      const out = execFileSync(
        "caddy",
        ["validate", "--config", "deploy/Caddyfile", "--adapter", "caddyfile"],
        {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      expect(out).toMatch(/Valid configuration/);
    },
  );
});

import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_FILE, readRunFile } from "../../src/run-file.ts";
import { type Harness, startHarness } from "../api/support/harness.ts";
import { demoReady, type RunningService, startService } from "../e2e/support/service.ts";

const NODE = join(process.cwd(), "node_modules/.bin/node");
let work: string;
let service: RunningService;

/**
 * Runs one of the command-line tools as `npm run` would, with DATA_DIR and extra environment; not
 * blocking, so this process's own connections to the service stay served meanwhile.
 */
function tool(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_ENV;
  delete childEnv.KLANTHERKENNING_TOKEN;
  return new Promise((resolve) => {
    const child = spawn(NODE, [`src/cli/${script}.ts`, ...args], { env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const api = async (path: string, token: string, init: { method?: string; json?: unknown } = {}) => {
  const res = await fetch(`${service.base}${path}`, {
    method: init.method ?? (init.json ? "POST" : "GET"),
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(init.json ? { body: JSON.stringify(init.json) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "kh-operator-"));
  service = await startService();
  await demoReady(service.base);
}, 120_000);
afterAll(async () => {
  await service?.stop();
  await rm(work, { recursive: true, force: true });
});

describe("the operator's paths against a running service", () => {
  let admin: string;
  let agent: string;
  const csvRows = () => readFileSync(join(work, "p1.csv"), "utf8").trimEnd().split("\n");

  it("the service tells the tools where it is, in DATA_DIR/service.json", async () => {
    const run = await readRunFile(service.dataDir);
    expect(run).toMatchObject({ state: "ready", url: service.base, authMode: "dev" });
    expect((await stat(join(service.dataDir, RUN_FILE))).mode & 0o777).toBe(0o600);
  });

  it("npm run token signs with the key of the DATA_DIR it is given, for that service", async () => {
    const token = await tool("token", ["--role", "admin", "--sub", "ops"], { DATA_DIR: service.dataDir });
    expect(token.status, token.stderr).toBe(0);
    admin = token.stdout.trim();
    agent = (await tool("token", ["--role", "agent"], { DATA_DIR: service.dataDir })).stdout.trim();
    expect((await api("/v1/partners", admin)).status).toBe(200);
    // Another DATA_DIR has another key: its token is refused here.
    const elsewhere = await tool("token", ["--role", "admin"], { DATA_DIR: join(work, "other-data") });
    expect(elsewhere.status).toBe(0);
    expect(elsewhere.stderr).toContain("no service runs on DATA_DIR");
    expect((await api("/v1/partners", elsewhere.stdout.trim())).status).toBe(401);
  });

  it("npm run ingest delivers through the running service, and its search agrees with its assessment", async () => {
    const put = await api("/v1/partners/OPS-P", admin, {
      method: "PUT",
      json: { name: "Operator partner", type: "volmacht", phase: "live", agreementSignedOn: "2024-01-01" },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const gen = await tool("generate", [
      "--customers",
      "20",
      "--seed",
      "5",
      "--partner",
      "OPS-P",
      "--out",
      join(work, "p1.csv"),
    ]);
    expect(gen.status, gen.stderr).toBe(0);
    expect(csvRows()[0]).toMatch(/^polisnummer;/);
    const first = await tool("ingest", ["--partner", "OPS-P", "--kind", "full", join(work, "p1.csv")], {
      DATA_DIR: service.dataDir,
    });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain(`delivering through the service on DATA_DIR (pid`);
    const delivered = JSON.parse(first.stdout) as { id: string; status: string; counts: { rows: number } };
    expect(delivered).toMatchObject({ status: "completed", counts: { rows: 20 } });
    // The service knows the delivery: it took it in.
    expect((await api(`/v1/deliveries/${delivered.id}`, admin)).body).toMatchObject({ partner: "OPS-P" });

    // The partner's next full delivery lacks one running policy: it ends, in search as in the assessment.
    const [header, ...rows] = csvRows();
    const columns = header!.split(";");
    const at = (row: string, name: string) => row.split(";")[columns.indexOf(name)]!;
    const gone = rows.find((r) => at(r, "status") === "actief" && at(r, "einddatum") === "")!;
    const policyNumber = at(gone, "polisnummer");
    writeFileSync(join(work, "p2.csv"), `${[header, ...rows.filter((r) => r !== gone)].join("\n")}\n`);
    const second = await tool("ingest", ["--partner", "OPS-P", "--kind", "full", join(work, "p2.csv")], {
      DATA_DIR: service.dataDir,
    });
    expect(second.status, second.stderr).toBe(0);
    const found = await api("/v1/search", agent, { json: { policyNumber } });
    const results = found.body.results as Array<{
      policies: Array<{ policyNumber: string; endDate: string | null }>;
    }>;
    const policy = results.flatMap((r) => r.policies).find((p) => p.policyNumber === policyNumber);
    expect(policy?.endDate).not.toBeNull();
    const assessed = await api("/v1/coverage/assessments", agent, {
      json: { policyNumber, incidentDate: policy!.endDate, legalArea: "consument" },
    });
    expect((assessed.body.reasons as Array<{ code: string }>).map((r) => r.code)).toContain(
      "POLICY_NOT_ACTIVE",
    );
    // Both deliveries are listed for the operator, newest first.
    const listed = await api("/v1/deliveries?partner=OPS-P", admin);
    expect((listed.body.deliveries as Array<{ id: string }>).map((d) => d.id).at(-1)).toBe(delivered.id);
    expect(listed.body.deliveries).toHaveLength(2);
  });

  it("npm run backup copies DATA_DIR while the service runs; a service started on the copy finds the customer", async () => {
    const out = join(work, "backup");
    const backup = await tool("backup", ["--out", out], { DATA_DIR: service.dataDir });
    expect(backup.status, backup.stderr).toBe(0);
    const names = await readdir(out);
    expect(names).toEqual(
      expect.arrayContaining([
        "klantherkenning.db",
        "audit.db",
        "search.sqlite",
        "dev-auth-key.json",
        "audit-hmac.key",
        "backup.json",
      ]),
    );
    expect(names).not.toContain(RUN_FILE);
    // Into a non-empty directory it refuses, saying so in one line.
    const again = await tool("backup", ["--out", out], { DATA_DIR: service.dataDir });
    expect(again.status).toBe(1);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);

    // Restore: the backup copied to a new DATA_DIR, a service started on it.
    const restored = join(work, "restored");
    await cp(out, restored, { recursive: true });
    const h: Harness = await startHarness({ DATA_DIR: restored });
    try {
      // The key pair came along: a token of the old DATA_DIR is accepted.
      const res = await h.call("POST", "/v1/search", { token: agent, json: { q: "a de vris 3511ab 12" } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
      const deliveries = await h.call("GET", "/v1/deliveries?partner=OPS-P", { token: admin });
      expect(((await deliveries.json()) as { deliveries: unknown[] }).deliveries).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it("a clean stop removes the run file; npm run ingest then writes DATA_DIR itself", async () => {
    const dataDir = service.dataDir;
    const dir = join(work, "kept-data");
    await cp(dataDir, dir, { recursive: true });
    await service.stop();
    expect(await readRunFile(dir)).toBeNull();
    const direct = await tool("ingest", ["--partner", "OPS-P", "--kind", "mutation", join(work, "p2.csv")], {
      DATA_DIR: dir,
    });
    expect(direct.status, direct.stderr).toBe(0);
    expect(direct.stderr).not.toContain("delivering through the service");
    expect(JSON.parse(direct.stdout)).toMatchObject({ status: "completed" });
  });
});

describe("the operator's paths without a service", () => {
  it("a port in use stops the start with one line, before DATA_DIR is touched", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = join(work, "never-made");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
    };
    delete env.NODE_ENV;
    const r = spawnSync(NODE, ["src/main.ts"], { env, encoding: "utf8" });
    blocker.close();
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `failed to start: port ${port} on 127.0.0.1 is already in use (EADDRINUSE): stop what listens there, or set PORT`,
    ]);
    await expect(stat(dataDir)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("npm run ingest refuses in one line when the service on DATA_DIR needs a token it was not given", async () => {
    const dataDir = join(work, "jwks-data");
    await mkdir(dataDir, { recursive: true });
    // A service of this test process's pid (alive) in jwks mode.
    writeFileSync(
      join(dataDir, RUN_FILE),
      JSON.stringify({
        pid: process.pid,
        state: "ready",
        url: "http://127.0.0.1:9",
        authMode: "jwks",
        issuer: "https://idp.example",
        audience: "klantherkenning",
        startedAt: new Date().toISOString(),
      }),
    );
    const r = await tool("ingest", ["--partner", "OPS-P", "--kind", "mutation", join(work, "p1.csv")], {
      DATA_DIR: dataDir,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("--token or KLANTHERKENNING_TOKEN");
  });
});

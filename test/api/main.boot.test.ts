import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Instance, startInstance } from "../support/instance.ts";

const NODE = join(process.cwd(), "node_modules/.bin/node");
let dir: string;
let service: Instance;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kh-boot-"));
  // A DATA_DIR that does not exist yet, as on a fresh clone.
  service = await startInstance("boot", { DATA_DIR: join(dir, "data"), DEMO_DATA: "on" });
  base = service.base;
}, 150_000);

afterAll(async () => {
  await service?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("npm start (src/main.ts) on a fresh DATA_DIR", () => {
  it("serves /health/ready, keeps the dev key private, and loads the demo catalogue", async () => {
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await stat(join(dir, "data", "dev-auth-key.json"))).mode & 0o777).toBe(0o600);
    const token = spawnSync(NODE, ["src/cli/token.ts", "--role", "agent", "--sub", "boot-agent"], {
      env: { ...process.env, DATA_DIR: join(dir, "data") },
      encoding: "utf8",
    });
    expect(token.status, token.stderr).toBe(0);
    const res = await fetch(`${base}/v1/products`, {
      headers: { authorization: `Bearer ${token.stdout.trim()}` },
    });
    expect(res.status).toBe(200);
    const codes = ((await res.json()) as Array<{ code: string }>).map((p) => p.code);
    expect(codes).toEqual(["RB-PARTICULIER", "RB-ZAKELIJK"]);
  });

  it("keeps everything under DATA_DIR to itself: directories 0700, files 0600", async () => {
    const wrong: string[] = [];
    const walk = (path: string) => {
      const mode = statSync(path).mode & 0o777;
      if (statSync(path).isDirectory()) {
        if (mode !== 0o700) wrong.push(`${path} ${mode.toString(8)}`);
        for (const name of readdirSync(path)) walk(join(path, name));
      } else if (mode !== 0o600) wrong.push(`${path} ${mode.toString(8)}`);
    };
    walk(join(dir, "data"));
    expect(readdirSync(join(dir, "data"))).toEqual(
      expect.arrayContaining(["audit-hmac.key", "dev-auth-key.json"]),
    );
    expect(wrong).toEqual([]);
  });

  it("logs requests without bodies: a searched value never reaches the log", async () => {
    const token = spawnSync(NODE, ["src/cli/token.ts", "--role", "agent"], {
      env: { ...process.env, DATA_DIR: join(dir, "data") },
      encoding: "utf8",
    }).stdout.trim();
    await fetch(`${base}/v1/search`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Zwanenburg-Oosterhuis" }),
    });
    // The request's line may reach the pipe after the answer: wait for it, however long that takes.
    await vi.waitFor(() => expect(service.output()).toContain('"route":"/v1/search"'), { timeout: 20_000 });
    expect(service.output()).not.toContain("Zwanenburg");
    expect(service.output()).not.toContain(token);
  });

  it("stops cleanly on SIGTERM", async () => {
    expect(await service.stop()).toBe(0);
  });
});

describe("bad configuration", () => {
  it("a bad value stops the service with one clear line naming the variable", () => {
    const r = spawnSync(NODE, ["src/main.ts"], { env: { ...process.env, PORT: "eighty" }, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("PORT");
  });

  it.each([
    [{ ALLOWED_NETWORKS: "10.0.0.0/8,10.0.0.0/33" }, "ALLOWED_NETWORKS"],
    [{ TRUSTED_PROXIES: "proxy.internal" }, "TRUSTED_PROXIES"],
    [{ TLS_CERT_FILE: "/nonexistent/cert.pem" }, "TLS_KEY_FILE"],
    [{ TLS_CERT_FILE: "/nonexistent/cert.pem", TLS_KEY_FILE: "/nonexistent/key.pem" }, "TLS_CERT_FILE"],
  ])("%o stops the service with one line naming %s", (extra, name) => {
    const r = spawnSync(NODE, ["src/main.ts"], {
      env: { ...process.env, DATA_DIR: join(dir, "never"), ...extra },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(name);
  });

  it("npm run token refuses outside dev mode", () => {
    const r = spawnSync(NODE, ["src/cli/token.ts", "--role", "agent"], {
      env: { ...process.env, AUTH_MODE: "jwks", AUTH_JWKS_URL: "http://127.0.0.1:1/jwks" },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("AUTH_MODE=dev");
  });
});

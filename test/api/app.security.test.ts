import { afterAll, describe, expect, it } from "vitest";
import { compose } from "../../src/compose.ts";
import { parseEnv } from "../../src/config/env.ts";
import { type Harness, startHarness } from "./support/harness.ts";

const harnesses: Harness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

describe("the application's endpoints and headers", () => {
  it("serves / with a CSP without inline script or style, and the API's security headers", async () => {
    const h = await startHarness();
    harnesses.push(h);
    const res = await h.call("GET", "/");
    expect([200, 503]).toContain(res.status);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("has no dev-token endpoint with AUTH_MODE=jwks; the config names the OIDC client and the CSP its origin", async () => {
    const h = await startHarness({
      AUTH_MODE: "jwks",
      AUTH_JWKS_URL: "http://127.0.0.1:9/jwks",
      AUTH_ISSUER: "https://login.example.test/realm",
      OIDC_CLIENT_ID: "kh-app",
    });
    harnesses.push(h);
    const res = await h.call("POST", "/app/dev-token", { json: { role: "admin", name: "Mallory" } });
    expect(res.status).toBe(404);
    const config = await (await h.call("GET", "/app/config")).json();
    expect(config).toEqual({
      authMode: "jwks",
      oidc: { issuer: "https://login.example.test/realm", clientId: "kh-app", scope: "openid profile" },
    });
    const csp = (await h.call("GET", "/")).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("connect-src 'self' https://login.example.test");
    const doc = (await (await h.call("GET", "/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(doc.paths).not.toHaveProperty(["/app/dev-token"]);
  });

  it("refuses AUTH_MODE=dev in production, so the dev token can never be issued there", async () => {
    expect(() => parseEnv({ NODE_ENV: "production", AUTH_MODE: "dev" })).toThrow(/AUTH_MODE/);
    const env = { ...parseEnv({ DEMO_DATA: "off", LOG_LEVEL: "silent" }), NODE_ENV: "production" };
    await expect(compose(env, (await import("../../src/logger.ts")).createLogger("silent"))).rejects.toThrow(
      /production/,
    );
  });

  it("timings: agents report, only admins read; no token is a 401", async () => {
    const h = await startHarness();
    harnesses.push(h);
    const json = { events: [{ measure: "card", start: "caller", ms: 1200 }] };
    expect((await h.call("POST", "/v1/app/timings", { json })).status).toBe(401);
    expect(
      (await h.call("POST", "/v1/app/timings", { token: await h.token("intake-bot"), json })).status,
    ).toBe(403);
    expect((await h.call("GET", "/v1/app/timings", { token: await h.token("agent") })).status).toBe(403);
    expect((await h.call("GET", "/v1/app/timings", { token: await h.token("admin") })).status).toBe(200);
    expect(
      (await h.call("GET", "/v1/customers/x/sources", { token: await h.token("intake-bot") })).status,
    ).toBe(403);
  });

  it("refuses an OIDC client id without an issuer URL", () => {
    expect(() =>
      parseEnv({
        AUTH_MODE: "jwks",
        AUTH_JWKS_URL: "https://x.test/jwks",
        AUTH_ISSUER: "not-a-url",
        OIDC_CLIENT_ID: "a",
      }),
    ).toThrow(/OIDC_ISSUER/);
  });
});

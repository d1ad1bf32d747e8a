import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { assertDevAllowed } from "../../src/api/auth/dev-keys.ts";
import { createLocalVerifier } from "../../src/api/auth/token-verifier.ts";
import { createLogger } from "../../src/logger.ts";
import { registerTestPartners } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await registerTestPartners(h);
});
afterAll(() => h?.close());

/** The same real services behind an app with other limits. */
const appWith = (options: { maxDeliveryBytes?: number; corsOrigins?: string[] }) =>
  createApp(h.system.services, {
    verifier: createLocalVerifier([h.keys.publicJwk], "klantherkenning-dev", "klantherkenning"),
    auditKey: new Uint8Array(32),
    logger: createLogger("silent"),
    ...options,
  });

describe("limits and headers", () => {
  it("a streamed delivery without Content-Length is cut off at the cap with a 413", async () => {
    const app = appWith({ maxDeliveryBytes: 1000 });
    const token = await h.token("ingest", { partner: "VOLMACHT-A" });
    const chunk = new TextEncoder().encode(`${"x".repeat(99)}\n`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 50) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const res = await app.request("/v1/deliveries?partner=VOLMACHT-A&kind=mutation", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("PAYLOAD_TOO_LARGE");
    // The stream was not read to the end: the cap stops it.
    expect(sent).toBeLessThan(50);
  });

  it("CORS is off unless origins are configured", async () => {
    const preflight = {
      method: "OPTIONS",
      headers: { origin: "https://crm.example", "access-control-request-method": "POST" },
    };
    const off = await h.system.app.request("/v1/search", preflight);
    expect(off.headers.get("access-control-allow-origin")).toBeNull();
    const on = await appWith({ corsOrigins: ["https://crm.example"] }).request("/v1/search", preflight);
    expect(on.headers.get("access-control-allow-origin")).toBe("https://crm.example");
  });

  it("API answers carry security headers", async () => {
    const res = await h.call("GET", "/health/live");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });

  it("dev keys are refused in production, whatever env parsing let through", () => {
    expect(() => assertDevAllowed("production")).toThrow(/refused/);
    expect(() => assertDevAllowed("development")).not.toThrow();
  });
});

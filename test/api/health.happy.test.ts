import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("health, metrics, OpenAPI and docs (no token)", () => {
  it("/health/live and /health/ready answer 200 on the embedded default", async () => {
    expect((await h.call("GET", "/health/live")).status).toBe(200);
    const ready = await h.call("GET", "/health/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "ok",
      checks: { store: { kind: "sqlite", ok: true }, engine: { kind: "embedded", ok: true } },
    });
  });

  it("/health/ready is a 503 naming the store when it does not answer", async () => {
    const store = h.system.services.store;
    const original = store.ping.bind(store);
    store.ping = async () => {
      throw new Error("down");
    };
    try {
      const res = await h.call("GET", "/health/ready");
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { store: { ok: false }, engine: { ok: true } } });
    } finally {
      store.ping = original;
    }
  });

  it("/metrics exposes request latency per route pattern and the search histogram", async () => {
    const token = await h.token("agent");
    await h.call("POST", "/v1/search", { token, json: { name: "Berg" } });
    const res = await h.call("GET", "/metrics");
    const text = await res.text();
    expect(text).toContain(
      'http_request_duration_seconds_count{method="POST",route="/v1/search",status="200"}',
    );
    expect(text).toContain("search_duration_seconds_count");
    expect(text).toContain("engine_errors_total");
    expect(text).toContain('queue_depth{queue="ingest"} 0');
  });

  it("/openapi.json is OpenAPI 3.1 with every contract path, the bearer scheme and roles per operation", async () => {
    const doc = (await (await h.call("GET", "/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { "x-roles"?: string[]; security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    const ops = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(ops.sort()).toEqual(
      [
        "POST /v1/deliveries",
        "GET /v1/deliveries/{id}",
        "GET /v1/deliveries",
        "POST /v1/search",
        "GET /v1/customers/{customerId}",
        "POST /v1/callers",
        "POST /v1/coverage/assessments",
        "POST /v1/verifications",
        "POST /v1/phone-policies",
        "PUT /v1/products/{code}",
        "GET /v1/products",
        "POST /v1/jobs",
        "GET /v1/jobs/{id}",
        "GET /v1/audit",
        "POST /v1/privacy/subject-report",
        "POST /v1/privacy/erasure",
        "GET /v1/privacy/erasure/{id}",
        "GET /privacy/report.css",
        "PUT /v1/partners/{id}",
        "GET /v1/partners",
        "GET /v1/partners/{id}",
        "GET /v1/partners/{id}/quality",
        "POST /v1/deliveries/{id}/release",
        "POST /v1/deliveries/{id}/reject",
        "GET /health/live",
        "GET /health/ready",
        "GET /metrics",
        "GET /app/config",
        "POST /app/dev-token",
        "POST /v1/app/timings",
        "GET /v1/app/timings",
        "GET /v1/customers/{customerId}/sources",
      ].sort(),
    );
    expect(doc.paths["/v1/verifications"]?.post?.["x-roles"]).toEqual(["intake-bot", "agent"]);
    expect(doc.paths["/v1/search"]?.post?.security).toEqual([{ bearer: [] }]);
    expect(doc.paths["/v1/privacy/erasure"]?.post?.["x-roles"]).toEqual(["privacy"]);
  });

  it("/docs is served offline with strict headers, and its scripts and styles load", async () => {
    const page = await h.call("GET", "/docs");
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const res = await h.call("GET", asset);
      expect(res.status, asset).toBe(200);
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
    expect((await h.call("GET", "/docs/assets/package.json")).status).toBe(404);
    expect((await h.call("GET", "/docs/assets/..%2F..%2Fpackage.json")).status).toBe(404);
  });
});

import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import type { RouteDeps } from "../route-deps.ts";

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref()),
  ]);

/** `/health/live` (process up), `/health/ready` (store and engine answer), `/metrics` (Prometheus). */
export function healthRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "get",
    path: "/health/live",
    summary: "Liveness: 200 while the process runs",
    roles: null,
    responses: { 200: { description: "Alive" } },
  });
  app.get("/health/live", (c) => c.json({ status: "ok" }));

  d.api.add({
    method: "get",
    path: "/health/ready",
    summary: "Readiness: the store and the search engine answer (503 names the one that does not)",
    roles: null,
    responses: { 200: { description: "Ready" }, 503: { description: "Not ready" } },
  });
  app.get("/health/ready", async (c) => {
    const [store, engine] = await Promise.allSettled([
      withTimeout(d.services.store.ping(), 2000),
      withTimeout(d.services.engine.ping(), 2000),
    ]);
    const checks = {
      store: { kind: d.services.store.kind, ok: store.status === "fulfilled" },
      engine: { kind: d.services.engine.name, ok: engine.status === "fulfilled" },
    };
    const ok = checks.store.ok && checks.engine.ok;
    if (!ok) d.logger.warn({ checks }, "not ready");
    return c.json({ status: ok ? "ok" : "unavailable", checks }, ok ? 200 : 503);
  });

  d.api.add({
    method: "get",
    path: "/metrics",
    summary: "Prometheus metrics",
    roles: null,
    responses: { 200: { description: "Text exposition format" } },
  });
  app.get("/metrics", async (c) =>
    c.body(await d.metrics.registry.metrics(), 200, { "content-type": d.metrics.registry.contentType }),
  );
  return app;
}

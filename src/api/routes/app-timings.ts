import { Hono } from "hono";
import { Gauge } from "prom-client";
import type { AppEnv } from "../context.ts";
import { PromiseEventBatch, PromiseReport, type PromiseTimings } from "../promise-timings.ts";
import { type RouteDeps, readJson } from "../route-deps.ts";

/**
 * `POST /v1/app/timings` (agent): the application reports how long recognising a caller took;
 * `GET /v1/app/timings` (admin): the daily median and 90th percentile. Today's figures are also on
 * `/metrics` as `app_promise_seconds{measure,start,quantile}` and `app_promise_events{measure,start}`.
 */
export function appTimingRoutes(d: RouteDeps, timings: PromiseTimings) {
  const app = new Hono<AppEnv>();
  // Collected at scrape time from today's events; the registry awaits async collect functions.
  new Gauge({
    name: "app_promise_seconds",
    help: "Today's (Europe/Amsterdam) time from caller view or first keystroke to the card or a verdict",
    labelNames: ["measure", "start", "quantile"] as const,
    registers: [d.metrics.registry],
    async collect() {
      this.reset();
      for (const day of await timings.today()) {
        if (day.medianMs === undefined || day.p90Ms === undefined) continue;
        this.set({ measure: day.measure, start: day.start, quantile: "0.5" }, day.medianMs / 1000);
        this.set({ measure: day.measure, start: day.start, quantile: "0.9" }, day.p90Ms / 1000);
      }
    },
  });
  new Gauge({
    name: "app_promise_events",
    help: "Today's (Europe/Amsterdam) count of cards opened, verdicts and searches ended without a customer",
    labelNames: ["measure", "start"] as const,
    registers: [d.metrics.registry],
    async collect() {
      this.reset();
      for (const day of await timings.today())
        this.set({ measure: day.measure, start: day.start }, day.count);
    },
  });

  d.api.add({
    method: "post",
    path: "/v1/app/timings",
    summary: "Record how long recognising a caller took (the application; no personal data)",
    description:
      "measure `card` or `verdict` with `ms` from opening a caller view (`start: caller`) or the first " +
      "keystroke of a search (`start: search`); `no-customer` for a search that ended without a card.",
    roles: ["agent"],
    body: PromiseEventBatch,
    responses: { 204: { description: "Recorded" } },
  });
  app.post("/v1/app/timings", d.role("agent"), async (c) => {
    const { events } = await readJson(c, PromiseEventBatch);
    await timings.record(events);
    return c.body(null, 204);
  });

  d.api.add({
    method: "get",
    path: "/v1/app/timings",
    summary: "Daily median and 90th percentile of the time to the card and to a verdict",
    roles: ["admin"],
    responses: { 200: { description: "Daily figures, newest day first", schema: PromiseReport } },
  });
  app.get("/v1/app/timings", d.role("admin"), async (c) => c.json(await timings.report()));
  return app;
}

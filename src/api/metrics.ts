import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Queue depths the service exposes: deliveries accepted and not yet settled (indexing runs inside
 * delivery processing, so this is also the index backlog) and background jobs queued or running.
 */
export type QueueDepths = () => { ingest: number; jobs: number };

/** Creates the Prometheus registry and the instruments the API updates. */
export function createMetrics(queueDepths?: QueueDepths) {
  const registry = new Registry();
  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const searchDuration = new Histogram({
    name: "search_duration_seconds",
    help: "Customer search latency (search and caller lookup)",
    labelNames: ["kind"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const engineErrors = new Counter({
    name: "engine_errors_total",
    help: "Requests that failed because the store or search engine failed",
    registers: [registry],
  });
  new Gauge({
    name: "queue_depth",
    help: "Work waiting in the background queues",
    labelNames: ["queue"] as const,
    registers: [registry],
    collect() {
      const d = queueDepths?.();
      if (!d) return;
      this.set({ queue: "ingest" }, d.ingest);
      this.set({ queue: "jobs" }, d.jobs);
    },
  });
  return { registry, httpDuration, searchDuration, engineErrors };
}

/** The metrics instruments. */
export type Metrics = ReturnType<typeof createMetrics>;

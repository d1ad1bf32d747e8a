import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Queue depths the service exposes: deliveries accepted here and not yet settled (indexing runs
 * inside delivery processing, so this is also the index backlog) and background jobs queued or
 * running here (waiting for another instance's run of their type included).
 */
export type QueueDepths = () => { ingest: number; jobs: number };

/**
 * Creates the Prometheus registry and the instruments the API updates. With several instances each
 * is scraped on its own: counters, histograms and `queue_depth` are this instance's (sum them);
 * `deliveries_open` is read from the shared store, the same at every instance (take the max).
 */
export function createMetrics(queueDepths?: QueueDepths, openDeliveries?: () => Promise<number>) {
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
  if (openDeliveries)
    new Gauge({
      name: "deliveries_open",
      help: "Deliveries received or processing, all instances together (read from the store)",
      registers: [registry],
      async collect() {
        this.set(await openDeliveries().catch(() => Number.NaN));
      },
    });
  return { registry, httpDuration, searchDuration, engineErrors };
}

/** The metrics instruments. */
export type Metrics = ReturnType<typeof createMetrics>;

import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ErasureReceipt } from "../domain/erasure-receipt.ts";

/**
 * Queue depths the service exposes: deliveries accepted here and not yet settled (indexing runs
 * inside delivery processing, so this is also the index backlog) and background jobs queued or
 * running here (waiting for another instance's run of their type included).
 */
export type QueueDepths = () => { ingest: number; jobs: number };

/** The erasure receipt of the last purge that ran (not a dry run), if any. */
export type LastPurge = () => ErasureReceipt | undefined;

/** What the metrics read besides the queue depths. */
export interface MetricsSources {
  /** The last purge's receipt (as this instance last saw it: the one it ran, or the newest at its start). */
  lastPurge?: LastPurge;
  /** Deliveries received or processing, read from the shared store. */
  openDeliveries?: () => Promise<number>;
  now?: () => Date;
}

/**
 * Creates the Prometheus registry and the instruments the API updates. With several instances each
 * is scraped on its own: counters, histograms and `queue_depth` are this instance's (sum them);
 * `deliveries_open` is read from the shared store, the same at every instance (take the max).
 */
export function createMetrics(queueDepths?: QueueDepths, sources: MetricsSources = {}) {
  const { lastPurge, openDeliveries, now = () => new Date() } = sources;
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
  purgeGauges(registry, lastPurge, now);
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

/** The last purge's receipt as gauges; absent until a purge has run. */
function purgeGauges(registry: Registry, lastPurge: LastPurge | undefined, now: () => Date): void {
  const at = (iso: string) => new Date(iso).getTime() / 1000;
  new Gauge({
    name: "purge_last_run_timestamp_seconds",
    help: "When the last purge finished (Unix time; 0: never)",
    registers: [registry],
    collect() {
      const r = lastPurge?.();
      if (r) this.set(at(r.finishedAt));
    },
  });
  new Gauge({
    name: "purge_oldest_delivery_age_seconds",
    help: "Age of the oldest delivery held, as the last purge left it (0 when none is held)",
    registers: [registry],
    collect() {
      const r = lastPurge?.();
      if (!r) return;
      this.set(r.oldestDeliveryHeld ? Math.max(0, now().getTime() / 1000 - at(r.oldestDeliveryHeld)) : 0);
    },
  });
  new Gauge({
    name: "purge_records_deleted",
    help: "Records the last purge deleted, by kind",
    labelNames: ["record"] as const,
    registers: [registry],
    collect() {
      const counts = lastPurge?.()?.stores[0]?.counts;
      if (!counts) return;
      for (const [record, n] of Object.entries(counts)) this.set({ record }, n);
    },
  });
  new Gauge({
    name: "purge_last_run_clean",
    help: "1 when the last purge's scrubs all worked and its checks all found nothing, else 0",
    registers: [registry],
    collect() {
      const r = lastPurge?.();
      if (!r) return;
      const parts = [...r.stores, ...r.indexes];
      const clean = parts.every((p) => p.scrub?.ok !== false && p.verification.every((v) => v.found === 0));
      this.set(clean ? 1 : 0);
    },
  });
}

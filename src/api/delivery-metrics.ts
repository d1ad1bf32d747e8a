import { Counter, type Registry } from "prom-client";
import type { Delivery } from "../domain/model.ts";

/**
 * What deliveries brought, for /metrics: deliveries settled by outcome, and their rows delivered,
 * accepted and rejected, each by partner and format (a handful of partners and three formats, so the
 * labels stay few). Made before the API (deliveries settle while the service starts: resumed ones and
 * the demo portfolio) and registered in its registry when it is built.
 */
export function createDeliveryMetrics() {
  const labelNames = ["partner", "format"] as const;
  const deliveries = new Counter({
    name: "deliveries_total",
    help: "Deliveries settled, by partner, format and status (completed, held, failed)",
    labelNames: [...labelNames, "status"] as const,
    registers: [],
  });
  const rows = new Counter({
    name: "delivery_rows_total",
    help: "Rows read from settled deliveries (accepted and rejected together)",
    labelNames,
    registers: [],
  });
  const accepted = new Counter({
    name: "delivery_rows_accepted_total",
    help: "Rows of settled deliveries taken in",
    labelNames,
    registers: [],
  });
  const rejected = new Counter({
    name: "delivery_rows_rejected_total",
    help: "Rows of settled deliveries rejected (with line and field on the delivery)",
    labelNames,
    registers: [],
  });
  return {
    /** Counts a delivery that reached `completed`, `held` or `failed`. */
    settled(d: Delivery): void {
      const labels = { partner: d.partner, format: d.format };
      deliveries.inc({ ...labels, status: d.status });
      rows.inc(labels, d.counts.rows);
      accepted.inc(labels, d.counts.accepted);
      rejected.inc(labels, d.counts.rejected);
    },
    /** Puts the counters in the API's registry. */
    register(registry: Registry): void {
      for (const metric of [deliveries, rows, accepted, rejected]) registry.registerMetric(metric);
    },
  };
}

/** The delivery counters (see createDeliveryMetrics). */
export type DeliveryMetrics = ReturnType<typeof createDeliveryMetrics>;

import { Hono } from "hono";
import { sourcesOf } from "../../domain/customer-sources.ts";
import { notFound } from "../../domain/errors.ts";
import { type CustomerSource, CustomerSources } from "../app-shapes.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readId } from "../route-deps.ts";

/** Most deliveries listed for one customer (a monthly full delivery for years adds up). */
const MAX_SOURCES = 200;

/** `GET /v1/customers/{customerId}/sources` (agent): the deliveries behind a customer card. */
export function customerSourceRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "get",
    path: "/v1/customers/{customerId}/sources",
    summary: "Where the customer's data came from: partner, delivery date and channel of each delivery",
    roles: ["agent"],
    params: { customerId: "Customer id (from a search result)" },
    responses: {
      200: { description: "The deliveries, newest first", schema: CustomerSources },
      404: { description: "No such customer" },
    },
  });
  app.get("/v1/customers/:customerId/sources", d.role("agent"), d.audited, async (c) => {
    const id = readId(c, "customerId");
    c.set("auditInfo", { fields: ["customerId"], query: { customerId: id }, customerIds: [id] });
    const customer = await d.services.store.getCustomer(id);
    if (!customer) throw notFound("customer");
    const policies = await d.services.store.policiesOfCustomers([id]);
    const ids = new Set([...customer.deliveryIds, ...policies.flatMap((p) => p.deliveryIds)]);
    const current = new Set(sourcesOf(customer).map((s) => s.deliveryId));
    const deliveries = await Promise.all([...ids].map((x) => d.services.store.getDelivery(x)));
    const sources = deliveries
      .filter((x) => x !== null)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .slice(0, MAX_SOURCES)
      .map(
        (x): CustomerSource => ({
          deliveryId: x.id,
          partner: x.partner,
          kind: x.kind,
          channel: x.channel,
          receivedAt: x.receivedAt,
          ...(x.channel === "phone" && x.submittedBy ? { submittedBy: x.submittedBy } : {}),
          ...(current.has(x.id) ? { current: true as const } : {}),
        }),
      );
    return c.json({ sources });
  });
  return app;
}

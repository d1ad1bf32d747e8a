import { Hono } from "hono";
import { CustomerDetail } from "../../domain/coverage/customer-detail.ts";
import { notFound } from "../../domain/errors.ts";
import type { AppEnv } from "../context.ts";
import { withPartnerNames } from "../partner-names.ts";
import { type RouteDeps, readId } from "../route-deps.ts";

/** `GET /v1/customers/{customerId}` (agent): the customer with all policies and their history. */
export function customerRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "get",
    path: "/v1/customers/{customerId}",
    summary: "The customer, all policies from all partners, with their history",
    description:
      "Our addition: `sources`, what each partner says about the customer (its newest delivery's " +
      "version: name, birth date, address, phones, e-mail; `channel: phone` for what an agent took down " +
      "by phone), newest first. `party`, `address`, `phones` and `email` are derived from them: per " +
      "attribute the newest source that states it, every phone of every source (docs/architecture.md).",
    roles: ["agent"],
    params: { customerId: "Customer id (from a search result)" },
    responses: {
      200: { description: "The customer", schema: CustomerDetail },
      404: { description: "No such customer" },
    },
  });
  app.get("/v1/customers/:customerId", d.role("agent"), d.audited, async (c) => {
    const id = readId(c, "customerId");
    c.set("auditInfo", { fields: ["customerId"], query: { customerId: id }, customerIds: [id] });
    const detail = await d.services.coverage.customerDetail(id, { signal: c.get("signal") });
    if (detail === null) throw notFound("customer");
    const names = await d.services.partners.names();
    return c.json({
      ...detail,
      sources: withPartnerNames(detail.sources, names),
      policies: withPartnerNames(detail.policies, names),
    } as Record<string, unknown>);
  });
  return app;
}

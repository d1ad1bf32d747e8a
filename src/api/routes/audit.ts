import { Hono } from "hono";
import { z } from "zod";
import { AuditRecord } from "../../domain/model.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readQuery } from "../route-deps.ts";

/** Query of `GET /v1/audit`: inclusive ISO bounds, a subject, a customer; newest first, bounded. */
export const AuditQueryInput = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    subject: z.string().min(1).max(200).optional(),
    customerId: z.string().min(1).max(128).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** `GET /v1/audit` (admin): the audit log; reading it is itself recorded. */
export function auditRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "get",
    path: "/v1/audit",
    summary: "Audit records, newest first (at most `limit`, default 100, max 1000)",
    roles: ["admin"],
    query: AuditQueryInput,
    responses: { 200: { description: "Records", schema: z.object({ records: z.array(AuditRecord) }) } },
  });
  app.get("/v1/audit", d.role("admin"), d.audited, async (c) => {
    const q = readQuery(c, AuditQueryInput);
    const { limit: _l, ...filters } = q;
    c.set("auditInfo", {
      fields: Object.keys(filters).sort(),
      query: filters,
      customerIds: q.customerId ? [q.customerId] : [],
    });
    const iso = (s?: string) => (s ? new Date(s).toISOString() : undefined);
    const records = await d.services.store.queryAudit({
      ...(q.from ? { from: iso(q.from) } : {}),
      ...(q.to ? { to: iso(q.to) } : {}),
      ...(q.subject ? { subject: q.subject } : {}),
      ...(q.customerId ? { customerId: q.customerId } : {}),
      limit: q.limit,
    });
    return c.json({ records });
  });
  return app;
}

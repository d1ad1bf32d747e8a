import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { z } from "zod";
import { ErasureReceipt } from "../../domain/erasure-receipt.ts";
import { notFound } from "../../domain/errors.ts";
import { Job } from "../../domain/model.ts";
import { SubjectReport, subjectReport } from "../../privacy/subject-report.ts";
import { REPORT_CSS, REPORT_CSS_PATH, subjectReportHtml } from "../../privacy/subject-report-html.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readId, readJson } from "../route-deps.ts";

const CustomerId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, "a customer id from a search result or an audit record");

/** Body of `POST /v1/privacy/subject-report`. */
export const SubjectReportInput = z.object({ customerId: CustomerId }).strict();

/** Body of `POST /v1/privacy/erasure`: whom, and why (kept on the audit record; a case number, not a name). */
export const ErasureInput = z
  .object({
    customerId: CustomerId,
    reason: z.string().trim().min(1, "a reason is required").max(500),
  })
  .strict();

/** An erasure as the privacy officer follows it. */
export const ErasureView = z.object({
  id: z.string(),
  status: Job.shape.status,
  /** What stands for the erased person's id in the audit log from now on. */
  tombstone: z.string(),
  reason: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
  receipt: ErasureReceipt.optional(),
});

// The application's policy (no script, no inline style), for the printable report.
const REPORT_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/**
 * The privacy officer's endpoints (role `privacy`, and only it): a person's subject report (AVG
 * art. 15) as JSON or a printable page, and their erasure (art. 17) as a background job.
 */
export function privacyRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();

  d.api.add({
    method: "post",
    path: "/v1/privacy/subject-report",
    summary:
      "Everything held about a person: record, policies with history, deliveries, lookups (JSON or HTML)",
    description:
      "With `Accept: text/html` a printable page (no script, no inline style). Lookups list when, who (role and subject) and which fields were searched, never the values.",
    roles: ["privacy"],
    body: SubjectReportInput,
    responses: {
      200: { description: "The subject report", schema: SubjectReport },
      404: { description: "No such customer" },
    },
  });
  app.post("/v1/privacy/subject-report", d.role("privacy"), d.audited, async (c) => {
    const { customerId } = await readJson(c, SubjectReportInput);
    c.set("auditInfo", { fields: ["customerId"], query: { customerId }, customerIds: [customerId] });
    const report = await subjectReport(d.services.store, customerId);
    if (!report) throw notFound("customer");
    if (prefersHtml(c.req.header("accept")))
      return c.html(subjectReportHtml(report), 200, { "Content-Security-Policy": REPORT_CSP });
    return c.json(report);
  });

  d.api.add({
    method: "post",
    path: "/v1/privacy/erasure",
    summary: "Erase a person: store, index, audit references and their rows in the stored files",
    description:
      "Runs as a background job (one job at a time with purges and reindexes); follow it at `GET /v1/privacy/erasure/{id}`. Their id in the audit log is replaced by the tombstone answered here; the reason is kept on the audit record of this request.",
    roles: ["privacy"],
    body: ErasureInput,
    responses: {
      202: {
        description: "Erasure queued",
        schema: z.object({ id: z.string(), status: Job.shape.status, tombstone: z.string() }),
      },
      400: { description: "No reason, or no customer id" },
      404: { description: "No such customer" },
    },
  });
  app.post("/v1/privacy/erasure", d.role("privacy"), d.audited, async (c) => {
    const { customerId, reason } = await readJson(c, ErasureInput);
    const tombstone = `erased:${randomUUID()}`;
    // The request's own record names the tombstone: after the erasure nothing links it to the id.
    c.set("auditInfo", {
      fields: ["customerId", "reason"],
      customerIds: [tombstone],
      erasureReason: reason,
    });
    if (!(await d.services.store.getCustomer(customerId))) throw notFound("customer");
    const job = await d.services.jobs.submit("erasure", c.get("principal").subject, {
      erasure: { customerId, tombstone, reason },
    });
    c.header("Location", `/v1/privacy/erasure/${job.id}`);
    return c.json({ id: job.id, status: job.status, tombstone }, 202);
  });

  d.api.add({
    method: "get",
    path: "/v1/privacy/erasure/{id}",
    summary: "State of an erasure, and its erasure receipt once done",
    roles: ["privacy"],
    params: { id: "Erasure id (from POST /v1/privacy/erasure)" },
    responses: { 200: { description: "The erasure", schema: ErasureView }, 404: { description: "Unknown" } },
  });
  app.get("/v1/privacy/erasure/:id", d.role("privacy"), async (c) => {
    const job = await d.services.jobs.get(readId(c, "id"));
    if (job?.type !== "erasure" || !job.erasure) throw notFound("erasure");
    const { tombstone, reason } = job.erasure;
    return c.json(
      ErasureView.parse({
        id: job.id,
        status: job.status,
        tombstone,
        reason,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
        error: job.error,
        receipt: job.receipt,
      }),
    );
  });

  d.api.add({
    method: "get",
    path: REPORT_CSS_PATH,
    summary: "Stylesheet of the printable subject report",
    roles: null,
    responses: { 200: { description: "CSS", contentType: "text/css" } },
  });
  app.get(REPORT_CSS_PATH, (c) =>
    c.body(REPORT_CSS, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "max-age=3600" }),
  );
  return app;
}

/** Whether an Accept header asks for HTML before JSON. */
function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = accept.indexOf("text/html");
  const json = accept.indexOf("application/json");
  return html >= 0 && (json < 0 || html < json);
}

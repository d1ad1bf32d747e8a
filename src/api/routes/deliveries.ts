import { Hono } from "hono";
import { z } from "zod";
import { AppError, notFound } from "../../domain/errors.ts";
import { Channel, type Delivery, RowError } from "../../domain/model.ts";
import { resolveProfile } from "../../ingest/read-delivery.ts";
import { recordRefusal } from "../auth/middleware.ts";
import type { AppEnv } from "../context.ts";
import { ReceivedAt, receivedAtInstant } from "../received-at.ts";
import { type RouteDeps, readId, readQuery } from "../route-deps.ts";

/** Query of `POST /v1/deliveries`; `receivedAt` (backfill) and `channel` are for admins only. */
export const DeliveryQuery = z
  .object({
    partner: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "partner code: letters, digits, - and _"),
    kind: z.enum(["full", "mutation"]),
    format: z.enum(["csv", "jsonl"]).default("csv"),
    profile: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}(@\d{1,4})?$/, "profile name, optionally @version")
      .default("standaard"),
    /** An ISO instant, or a date (the start of that day in Europe/Amsterdam); at most 5 minutes ahead. */
    receivedAt: ReceivedAt.optional(),
    channel: Channel.optional(),
  })
  .strict();

/** A delivery as callers see it (contract). */
export const DeliveryView = z.object({
  id: z.string(),
  partner: z.string(),
  kind: z.enum(["full", "mutation"]),
  status: z.enum(["received", "processing", "completed", "failed"]),
  receivedAt: z.string(),
  sha256: z.string(),
  counts: z.object({ rows: z.number().int(), accepted: z.number().int(), rejected: z.number().int() }),
  errors: z.array(RowError),
  duplicateOf: z.string().optional(),
  failure: z.string().optional(),
});

const view = (d: Delivery): z.infer<typeof DeliveryView> => ({
  id: d.id,
  partner: d.partner,
  kind: d.kind,
  status: d.status,
  receivedAt: d.receivedAt,
  sha256: d.sha256,
  counts: d.counts,
  errors: d.errors,
  ...(d.duplicateOf ? { duplicateOf: d.duplicateOf } : {}),
  ...(d.failure ? { failure: d.failure } : {}),
});

/** Counts bytes as they stream through and stops at the cap, so no upload is ever buffered whole. */
async function* capped(body: AsyncIterable<Uint8Array>, max: number): AsyncIterable<Uint8Array> {
  let n = 0;
  for await (const chunk of body) {
    n += chunk.byteLength;
    if (n > max) throw new AppError("PAYLOAD_TOO_LARGE", `a delivery may be at most ${max} bytes`);
    yield chunk;
  }
}

/** `POST /v1/deliveries` (ingest for its own partner, admin) and `GET /v1/deliveries/{id}`. */
export function deliveryRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "post",
    path: "/v1/deliveries",
    summary: "Upload a delivery file (streamed)",
    description:
      "The body is the file's bytes, streamed. An ingest token may deliver only for the partner in its " +
      "`partner` claim. `receivedAt` (backfill: an ISO instant, or a date meaning the start of that day in " +
      "Europe/Amsterdam; at most 5 minutes in the future) and `channel` (portal, polischeck, phone; default upload) " +
      `are admin only. Size cap ${d.maxDeliveryBytes} bytes (413).`,
    roles: ["ingest", "admin"],
    query: DeliveryQuery,
    body: z.string(),
    bodyKind: "binary",
    responses: {
      202: {
        description: "Accepted; processing in the background",
        schema: z.object({ id: z.string(), status: z.string() }),
      },
      413: { description: "Body too large" },
    },
  });
  app.post("/v1/deliveries", d.role("ingest", "admin"), async (c) => {
    const q = readQuery(c, DeliveryQuery);
    const p = c.get("principal");
    const admin = p.roles.includes("admin");
    if (!admin && (q.partner !== p.partner || q.receivedAt || q.channel)) {
      throw new AppError("FORBIDDEN", "an ingest token delivers only for its own partner, without backfill");
    }
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > d.maxDeliveryBytes) {
      throw new AppError("PAYLOAD_TOO_LARGE", `a delivery may be at most ${d.maxDeliveryBytes} bytes`);
    }
    const receivedAt = q.receivedAt ? receivedAtInstant(q.receivedAt, d.now()) : undefined;
    await resolveProfile(q.profile, q.format);
    const body = c.req.raw.body;
    if (!body) throw new AppError("VALIDATION_FAILED", "the body must be the delivery file");
    const delivery = await d.services.intake.submit({
      partner: q.partner,
      kind: q.kind,
      format: q.format,
      profile: q.profile,
      channel: q.channel ?? "upload",
      ...(receivedAt ? { receivedAt } : {}),
      submittedBy: p.subject,
      body: capped(body as unknown as AsyncIterable<Uint8Array>, d.maxDeliveryBytes),
    });
    c.header("Location", `/v1/deliveries/${delivery.id}`);
    return c.json({ id: delivery.id, status: delivery.status }, 202);
  });

  d.api.add({
    method: "get",
    path: "/v1/deliveries/{id}",
    summary: "State of a delivery",
    description: "An ingest token sees only its own partner's deliveries; another's answers 404.",
    roles: ["ingest", "admin"],
    params: { id: "Delivery id" },
    responses: {
      200: { description: "The delivery", schema: DeliveryView },
      404: { description: "Unknown" },
    },
  });
  app.get("/v1/deliveries/:id", d.role("ingest", "admin"), async (c) => {
    const id = readId(c, "id");
    const p = c.get("principal");
    const delivery = await d.services.intake.get(id);
    if (!delivery) throw notFound("delivery");
    if (!p.roles.includes("admin") && delivery.partner !== p.partner) {
      // Object-level refusal: answered as 404 so another partner's ids reveal nothing, but on record.
      await recordRefusal(d, c, p, "denied", 404);
      throw notFound("delivery");
    }
    return c.json(view(delivery));
  });
  return app;
}

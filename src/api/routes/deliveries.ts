import { type Context, Hono } from "hono";
import { z } from "zod";
import { AppError, notFound } from "../../domain/errors.ts";
import { Channel, type Delivery, DeliveryFileInfo, DeliveryHold, RowError } from "../../domain/model.ts";
import { DeliveryFormat } from "../../domain/partner.ts";
import { defaultProfileFor, resolveProfile } from "../../ingest/read-delivery.ts";
import { endpointOf } from "../audit.ts";
import { recordRefusal } from "../auth/middleware.ts";
import type { AppEnv } from "../context.ts";
import { codeToStatus } from "../problem.ts";
import { ReceivedAt, receivedAtInstant, startOfAmsterdamDay } from "../received-at.ts";
import { type RouteDeps, readId, readQuery } from "../route-deps.ts";

/** Query of `POST /v1/deliveries`; `receivedAt` (backfill) and `channel` are for admins only. */
export const DeliveryQuery = z
  .object({
    partner: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "partner code: letters, digits, - and _"),
    kind: z.enum(["full", "mutation"]),
    format: DeliveryFormat.default("csv"),
    /** Default: `standaard` (csv, jsonl) or `nvga-polis` (nvga-polis). */
    profile: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}(@\d{1,4})?$/, "profile name, optionally @version")
      .optional(),
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
  status: z.enum(["received", "processing", "completed", "failed", "held"]),
  receivedAt: z.string(),
  sha256: z.string(),
  counts: z.object({ rows: z.number().int(), accepted: z.number().int(), rejected: z.number().int() }),
  errors: z.array(RowError),
  duplicateOf: z.string().optional(),
  failure: z.string().optional(),
  /** The stable code of a whole-delivery failure (DELIVERY_REJECTED, WRONG_RECIPIENT, …). */
  failureCode: z.string().optional(),
  format: DeliveryFormat,
  channel: Channel,
  /** Status `held`: why, with the numbers; and the admin's decision once made. */
  hold: DeliveryHold.optional(),
  /** NVGA File Polis: its reference date, insurers, policies of other branches skipped, unknown labels. */
  fileInfo: DeliveryFileInfo.optional(),
});

const Status = z.enum(["received", "processing", "completed", "failed", "held"]);

/** Query of `GET /v1/deliveries`: filters, page size and the cursor of the page before. */
export const DeliveryListQuery = z
  .object({
    partner: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "partner code: letters, digits, - and _")
      .optional(),
    /** One status or several, comma-separated (`failed,held`). */
    status: z
      .string()
      .transform((s, ctx) => {
        const parsed = z.array(Status).safeParse(s.split(",").map((v) => v.trim()));
        if (parsed.success) return parsed.data;
        ctx.addIssue({ code: "custom", message: `statuses, comma-separated: ${Status.options.join(", ")}` });
        return z.NEVER;
      })
      .optional(),
    /** Received at or after: an ISO instant, or a date (from the start of that day in Europe/Amsterdam). */
    from: ReceivedAt.optional(),
    /** Received before an ISO instant, or up to and including a date (Europe/Amsterdam). */
    to: ReceivedAt.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** `next` of the page before. */
    cursor: z.string().max(200).optional(),
  })
  .strict();

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const instant = (v: string) => (DATE_ONLY.test(v) ? startOfAmsterdamDay(v) : new Date(v).toISOString());
/** The start of the day after `date` (yyyy-mm-dd), as a date. */
const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The keyset cursor: the last delivery of a page, opaque to callers. */
const encodeCursor = (d: Delivery) => Buffer.from(JSON.stringify([d.receivedAt, d.id])).toString("base64url");
function decodeCursor(cursor: string): { receivedAt: string; id: string } {
  try {
    const [receivedAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof receivedAt === "string" && typeof id === "string") return { receivedAt, id };
  } catch {
    // Answered below.
  }
  throw new AppError("VALIDATION_FAILED", "cursor is not one this API gave out", {
    details: { errors: [{ path: "query.cursor", message: "not a cursor of this API" }] },
  });
}

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
  ...(d.failureCode ? { failureCode: d.failureCode } : {}),
  format: d.format,
  channel: d.channel,
  ...(d.hold ? { hold: d.hold } : {}),
  ...(d.fileInfo ? { fileInfo: d.fileInfo } : {}),
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

const PARTNER_REFUSALS: ReadonlySet<string> = new Set([
  "PARTNER_UNKNOWN",
  "PARTNER_AGREEMENT_MISSING",
  "PARTNER_INACTIVE",
]);

/** Submits a delivery; a partner refusal (unknown, unsigned, inactive) goes on the audit record first. */
async function submitOrRecordRefusal(
  d: RouteDeps,
  c: Context<AppEnv>,
  partner: string,
  input: Parameters<RouteDeps["services"]["intake"]["submit"]>[0],
): Promise<Delivery> {
  try {
    return await d.services.intake.submit(input);
  } catch (err) {
    if (err instanceof AppError && PARTNER_REFUSALS.has(err.code)) {
      const p = c.get("principal");
      await d.auditor
        .record({
          subject: p.subject,
          roles: p.roles,
          endpoint: endpointOf(c),
          fields: ["partner"],
          query: { partner, refusal: err.code },
          customerIds: [],
          outcome: "denied",
          status: codeToStatus[err.code],
        })
        .catch((e) => d.logger.error({ err: (e as Error).message }, "audit write failed"));
    }
    throw err;
  }
}

/** `POST /v1/deliveries` (ingest for its own partner, admin), `GET /v1/deliveries[/{id}]`, release and reject. */
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
      `are admin only. Size cap ${d.maxDeliveryBytes} bytes (413). The partner must be registered, ` +
      "active and have signed the VRA agreement (PARTNER_UNKNOWN 422, PARTNER_AGREEMENT_MISSING 403, " +
      "PARTNER_INACTIVE 403; refusals are audited). `format=nvga-polis`: the NVGA File Polis (XML), " +
      "mapped by an NVGA profile (default `nvga-polis`); a DTD, a file that is no XML or one for another " +
      "insurer (WRONG_RECIPIENT) is refused. Compressed files and Content-Encoding are refused.",
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
      415: { description: "Content-Encoding other than identity" },
      422: { description: "Unknown partner, wrong recipient, or not a delivery file of this format" },
    },
  });
  app.post("/v1/deliveries", d.role("ingest", "admin"), async (c) => {
    const q = readQuery(c, DeliveryQuery);
    const p = c.get("principal");
    const admin = p.roles.includes("admin");
    if (!admin && (q.partner !== p.partner || q.receivedAt || q.channel)) {
      throw new AppError("FORBIDDEN", "an ingest token delivers only for its own partner, without backfill");
    }
    const encoding = c.req.header("content-encoding")?.trim().toLowerCase();
    if (encoding && encoding !== "identity") {
      // Never inflated here: a compressed body could unpack to any size (a zip bomb).
      throw new AppError(
        "UNSUPPORTED_MEDIA_TYPE",
        `Content-Encoding ${encoding} is not accepted: send the file's own bytes`,
      );
    }
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > d.maxDeliveryBytes) {
      throw new AppError("PAYLOAD_TOO_LARGE", `a delivery may be at most ${d.maxDeliveryBytes} bytes`);
    }
    const receivedAt = q.receivedAt ? receivedAtInstant(q.receivedAt, d.now()) : undefined;
    const profile = q.profile ?? defaultProfileFor(q.format);
    await resolveProfile(profile, q.format);
    const body = c.req.raw.body;
    if (!body) throw new AppError("VALIDATION_FAILED", "the body must be the delivery file");
    const delivery = await submitOrRecordRefusal(d, c, q.partner, {
      partner: q.partner,
      kind: q.kind,
      format: q.format,
      profile,
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
    path: "/v1/deliveries",
    summary: "List deliveries, newest first, paged",
    description:
      "Filters: `partner`, `status` (one or several, comma-separated), `from` (received at or after: an ISO " +
      "instant, or a date meaning the start of that day in Europe/Amsterdam) and `to` (received before an " +
      "instant, or up to and including a date). At most `limit` (default 50, max 500) a page; `next` is " +
      "the cursor of the following page, absent on the last. An ingest token sees its own partner's " +
      "deliveries only (another `partner` is 403).",
    roles: ["ingest", "admin"],
    query: DeliveryListQuery,
    responses: {
      200: {
        description: "A page of deliveries",
        schema: z.object({ deliveries: z.array(DeliveryView), next: z.string().optional() }),
      },
      403: { description: "An ingest token asking for another partner" },
    },
  });
  app.get("/v1/deliveries", d.role("ingest", "admin"), async (c) => {
    const q = readQuery(c, DeliveryListQuery);
    const p = c.get("principal");
    let partner = q.partner;
    if (!p.roles.includes("admin")) {
      if (partner && partner !== p.partner) {
        await recordRefusal(d, c, p, "denied", 403);
        throw new AppError("FORBIDDEN", "an ingest token lists only its own partner's deliveries");
      }
      partner = p.partner;
    }
    const page = await d.services.store.pageDeliveries({
      ...(partner ? { partner } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.from ? { from: instant(q.from) } : {}),
      ...(q.to ? { to: DATE_ONLY.test(q.to) ? startOfAmsterdamDay(nextDay(q.to)) : instant(q.to) } : {}),
      ...(q.cursor ? { before: decodeCursor(q.cursor) } : {}),
      limit: q.limit + 1,
    });
    const shown = page.slice(0, q.limit);
    return c.json({
      deliveries: shown.map(view),
      ...(page.length > q.limit ? { next: encodeCursor(shown[shown.length - 1]!) } : {}),
    });
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
  for (const decision of ["release", "reject"] as const) {
    d.api.add({
      method: "post",
      path: `/v1/deliveries/{id}/${decision}`,
      summary:
        decision === "release"
          ? "Apply a held full delivery: the policies it lacks end as of its date"
          : "Refuse a held full delivery: it is undone whole (status failed)",
      description:
        "Only a delivery with status `held` (409 CONFLICT otherwise). A release is refused while a later " +
        "full delivery of the same partner is completed or held.",
      roles: ["admin"],
      params: { id: "Delivery id" },
      responses: {
        200: { description: "The delivery after the decision", schema: DeliveryView },
        404: { description: "Unknown" },
        409: { description: "Not held, or a later full delivery exists" },
      },
    });
    app.post(`/v1/deliveries/:id/${decision}`, d.role("admin"), async (c) => {
      const id = readId(c, "id");
      const by = c.get("principal").subject;
      const intake = d.services.intake;
      const decided = decision === "release" ? await intake.release(id, by) : await intake.reject(id, by);
      return c.json(view(decided));
    });
  }
  return app;
}

import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { AppError, type ErrorCode } from "../domain/errors.ts";

/** The one place where error codes become HTTP statuses. */
export const codeToStatus: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  UNKNOWN_LEGAL_AREA: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CONFLICT: 409,
  DELIVERY_REJECTED: 422,
  PARTNER_UNKNOWN: 422,
  PARTNER_AGREEMENT_MISSING: 403,
  PARTNER_INACTIVE: 403,
  WRONG_RECIPIENT: 422,
  ENGINE_UNAVAILABLE: 503,
  SEARCH_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
  AUDIT_UNAVAILABLE: 503,
  AUTH_UNAVAILABLE: 503,
  SERVICE_STARTING: 503,
  TIMEOUT: 503,
  INTERNAL: 500,
  NETWORK_NOT_ALLOWED: 403,
  HEADERS_TOO_LARGE: 431,
  MALFORMED_REQUEST: 400,
  REQUEST_TIMEOUT: 408,
};

const TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: "Request is not valid",
  UNKNOWN_LEGAL_AREA: "Unknown legal area",
  NOT_FOUND: "Not found",
  UNAUTHENTICATED: "Authentication required",
  FORBIDDEN: "Not allowed",
  RATE_LIMITED: "Too many requests",
  PAYLOAD_TOO_LARGE: "Request body too large",
  UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
  CONFLICT: "Conflict",
  DELIVERY_REJECTED: "Delivery rejected",
  PARTNER_UNKNOWN: "Partner not registered",
  PARTNER_AGREEMENT_MISSING: "Partner has not signed the VRA agreement",
  PARTNER_INACTIVE: "Partner paused or ended",
  WRONG_RECIPIENT: "File meant for another insurer",
  ENGINE_UNAVAILABLE: "Search or storage engine unavailable",
  SEARCH_UNAVAILABLE: "Search engine unavailable",
  STORE_UNAVAILABLE: "Store unavailable",
  AUDIT_UNAVAILABLE: "Audit log unavailable",
  AUTH_UNAVAILABLE: "Token keys unavailable",
  SERVICE_STARTING: "Service is starting",
  TIMEOUT: "Request timed out",
  INTERNAL: "Internal error",
  NETWORK_NOT_ALLOWED: "Network not allowed",
  HEADERS_TOO_LARGE: "Request header fields too large",
  MALFORMED_REQUEST: "Malformed HTTP request",
  REQUEST_TIMEOUT: "Request not received in time",
};

/** RFC 9457 problem document as this API answers it. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

/** Turns a zod failure into a VALIDATION_FAILED AppError naming the field paths (never the values). */
export function fromZod(error: z.ZodError, where = "body"): AppError {
  const errors = error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join("."),
    message: i.message,
  }));
  return new AppError("VALIDATION_FAILED", `invalid ${where}: ${errors.map((e) => e.path).join(", ")}`, {
    details: { errors },
  });
}

/** Builds the problem document for an error; unknown errors become a bare 500 without internals. */
export function toProblem(err: unknown, instance?: string): Problem {
  const app =
    err instanceof AppError
      ? err
      : err instanceof z.ZodError
        ? fromZod(err)
        : new AppError("INTERNAL", "an internal error occurred");
  const status = codeToStatus[app.code] ?? 500;
  const errors = (app.details?.errors ?? app.details?.issues) as Problem["errors"] | undefined;
  return {
    type: `https://klantherkenning.example/problems/${app.code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[app.code] ?? "Error",
    status,
    detail: app.code === "INTERNAL" ? "an internal error occurred" : app.message,
    code: app.code,
    ...(instance ? { instance } : {}),
    ...(errors ? { errors } : {}),
  };
}

/** Answers a problem document with the right status and content type. */
export function problemResponse(c: Context, err: unknown, headers: Record<string, string> = {}): Response {
  const p = toProblem(err, new URL(c.req.url).pathname);
  const extra =
    err instanceof AppError && typeof err.details?.retryAfter === "number"
      ? { "Retry-After": String(err.details.retryAfter) }
      : {};
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "content-type": "application/problem+json", ...extra, ...headers },
  });
}

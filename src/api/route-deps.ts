import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { AppError } from "../domain/errors.ts";
import type { Logger } from "../logger.ts";
import type { Auditor } from "./audit.ts";
import type { AuthDeps } from "./auth/middleware.ts";
import type { Role } from "./auth/principal.ts";
import type { AppEnv } from "./context.ts";
import type { Metrics } from "./metrics.ts";
import type { ApiRegistry } from "./openapi.ts";
import { fromZod } from "./problem.ts";
import type { Services } from "./services.ts";
import type { VerificationLockout } from "./verification-lockout.ts";

/** What every route module gets from createApp. */
export interface RouteDeps {
  services: Services;
  api: ApiRegistry;
  auth: AuthDeps;
  auditor: Auditor;
  logger: Logger;
  metrics: Metrics;
  /** Role check middleware (records refusals). */
  role: (...roles: Role[]) => MiddlewareHandler<AppEnv>;
  /** Audit-of-lookup middleware (fail closed). */
  audited: MiddlewareHandler<AppEnv>;
  maxDeliveryBytes: number;
  /** The clock (ms since the epoch); tests move it. */
  now: () => number;
  /** Failed verifications per policy number and customer, across token subjects. */
  verificationLockout: VerificationLockout;
}

/** A JSON media type: `application/json`, or a `+json` one (`application/merge-patch+json`). */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads and parses a JSON body with a zod schema: another content type is a 415, bad JSON or a bad
 * shape a 400 naming the fields.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  if (!JSON_TYPE.test(c.req.header("content-type") ?? "")) {
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      "the body must be JSON, sent as Content-Type: application/json",
    );
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("VALIDATION_FAILED", "the body must be a JSON document");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw fromZod(parsed.error, "body");
  return parsed.data;
}

/** Parses the query string with a zod schema; a bad value is a 400 naming the parameter. */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw fromZod(parsed.error, "query");
  return parsed.data;
}

/** Path ids are opaque and short; anything else names nothing we hold. */
export function readId(c: Context, name: string): string {
  const id = c.req.param(name) ?? "";
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(id)) throw new AppError("NOT_FOUND", "not found");
  return id;
}

/** A 200 answer whose JSON body is already a string (as `c.json` would send it, without stringifying again). */
export function jsonBody(c: Context, json: string): Response {
  return c.body(json, 200, { "content-type": "application/json" });
}

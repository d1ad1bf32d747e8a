import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { routePath } from "hono/route";
import type { Cidr } from "../config/cidr.ts";
import { AppError } from "../domain/errors.ts";
import type { Logger } from "../logger.ts";
import { isStoreUnavailable, storeUnavailable } from "../store/store-errors.ts";
import { audited, createAuditor } from "./audit.ts";
import { type AuthDeps, authenticate, requireRole } from "./auth/middleware.ts";
import type { TokenVerifier } from "./auth/principal.ts";
import { allowedNetworks, clientAddress } from "./client-address.ts";
import type { AppEnv } from "./context.ts";
import { createMetrics } from "./metrics.ts";
import { createApiRegistry } from "./openapi.ts";
import { problemResponse } from "./problem.ts";
import { createPromiseTimings, type PromiseTimings } from "./promise-timings.ts";
import { createMemoryRateLimiter, type RateLimiter } from "./rate-limit.ts";
import { createRefusalDigest } from "./refusal-digest.ts";
import { createRequestLimits, type RequestLimitRules } from "./request-limits.ts";
import type { RouteDeps } from "./route-deps.ts";
import { type WebAppOptions, webAppRoutes } from "./routes/app.ts";
import { appTimingRoutes } from "./routes/app-timings.ts";
import { auditRoutes } from "./routes/audit.ts";
import { callerRoutes } from "./routes/callers.ts";
import { coverageRoutes } from "./routes/coverage.ts";
import { customerSourceRoutes } from "./routes/customer-sources.ts";
import { customerRoutes } from "./routes/customers.ts";
import { deliveryRoutes } from "./routes/deliveries.ts";
import { docsRoutes } from "./routes/docs.ts";
import { healthRoutes } from "./routes/health.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { partnerRoutes } from "./routes/partners.ts";
import { phonePolicyRoutes } from "./routes/phone-policies.ts";
import { privacyRoutes } from "./routes/privacy.ts";
import { productRoutes } from "./routes/products.ts";
import { searchRoutes } from "./routes/search.ts";
import { verificationRoutes } from "./routes/verifications.ts";
import { noStore, securityHeaders } from "./security-headers.ts";
import type { Services } from "./services.ts";
import { createMemoryLockout, type LockoutRules, type VerificationLockout } from "./verification-lockout.ts";

/** How the HTTP layer is set up; everything has a safe default except the verifier and the audit key. */
export interface AppOptions {
  verifier: TokenVerifier;
  /** Secret key of the audit HMAC (kept in DATA_DIR). */
  auditKey: Uint8Array;
  logger: Logger;
  /** Requests a minute per subject by role, and per client address without a valid token. */
  rateLimits?: RequestLimitRules;
  /** Where the rate limits count (default: in this process's memory). */
  rateLimiter?: RateLimiter;
  /** Failed verifications that lock a policy number or customer, and for how long. */
  lockoutRules?: LockoutRules;
  /** Where verification failures count (default: in this process's memory). */
  verificationLockout?: VerificationLockout;
  /** Client networks served (health endpoints excepted); empty or absent: any. */
  allowedNetworks?: Cidr[];
  /** Reverse proxies whose `X-Forwarded-For` is believed. */
  trustedProxies?: Cidr[];
  /** The clock (ms since the epoch); tests move it. */
  now?: () => number;
  /** Origins allowed by CORS; none (CORS off) unless configured. */
  corsOrigins?: string[];
  /** Cap of a streamed delivery body (default 2 GiB). */
  maxDeliveryBytes?: number;
  /** Cap of every other body (default 64 KiB). */
  maxJsonBytes?: number;
  /** Timeout of every request except uploads (default 30 s). */
  requestTimeoutMs?: number;
  /** The legal service centre's application at `/`; not served when absent. */
  web?: WebAppOptions;
  /** Where the application's promise timings are kept (default: in memory). */
  timings?: PromiseTimings;
}

/** Builds the HTTP API (Hono): the only door to the data. */
export function createApp(services: Services, options: AppOptions) {
  const app = new Hono<AppEnv>();
  const { logger } = options;
  const metrics = createMetrics(services.queueDepths, {
    ...(services.lastPurge ? { lastPurge: services.lastPurge } : {}),
    openDeliveries: async () =>
      (await services.store.listDeliveries({ status: ["received", "processing"] })).length,
  });
  services.deliveryMetrics?.register(metrics.registry);
  const auditor = createAuditor(services.store, options.auditKey);
  const now = options.now ?? Date.now;
  const refusals = createRefusalDigest(auditor, logger, { now });
  const limits = createRequestLimits(
    options.rateLimiter ?? createMemoryRateLimiter(now),
    refusals,
    options.rateLimits ?? DEFAULT_RATE_LIMITS,
  );
  const auth: AuthDeps = { verifier: options.verifier, auditor, logger, limits };
  const maxJson = options.maxJsonBytes ?? 64 * 1024;

  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    const route = routePath(c, -1) || "unmatched";
    const seconds = (performance.now() - started) / 1000;
    metrics.httpDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, seconds);
    logger.info(
      {
        method: c.req.method,
        route,
        status: c.res.status,
        ms: Math.round(seconds * 1000),
        subject: c.get("principal")?.subject,
      },
      "request",
    );
  });
  app.use("*", securityHeaders());
  // Before anything else: who is calling, from where, and is that network served at all.
  app.use("*", clientAddress(options.trustedProxies ?? []));
  app.use("*", allowedNetworks(options.allowedNetworks ?? []));
  app.use("/v1/*", noStore());
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    app.use("*", cors({ origin: options.corsOrigins, allowHeaders: ["Authorization", "Content-Type"] }));
  }
  const tooLarge = () => {
    throw new AppError("PAYLOAD_TOO_LARGE", `a request body may be at most ${maxJson} bytes`);
  };
  const timeoutError = () => new AppError("TIMEOUT", "the request took too long");
  const limitStreamed = bodyLimit({ maxSize: maxJson, onError: tooLarge });
  app.use("/v1/*", async (c, next) => {
    // Uploads stream for as long as they take and have their own, larger cap.
    if (c.req.path === "/v1/deliveries" && c.req.method === "POST") return next();
    const timed = async () => {
      let timer: NodeJS.Timeout | undefined;
      // Past its time the request is answered 503 and what it started is told to stop (`signal`).
      const controller = new AbortController();
      c.set("signal", controller.signal);
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const err = timeoutError();
          controller.abort(err);
          reject(err);
        }, options.requestTimeoutMs ?? 30_000);
      });
      try {
        await Promise.race([next(), expired]);
      } finally {
        clearTimeout(timer);
      }
    };
    // A declared length is checked from the header alone, as hono's bodyLimit does, but without
    // touching `c.req.raw.body`: on @hono/node-server that builds a WHATWG Request around a web
    // stream (~0.12 CPU-ms a search request), where `c.req.json()` otherwise reads the socket directly.
    // Bodies without one (chunked) are counted as they stream, by bodyLimit.
    if (c.req.method === "GET" || c.req.method === "HEAD") return timed();
    const declared = c.req.header("content-length");
    if (declared !== undefined && c.req.header("transfer-encoding") === undefined)
      return Number.parseInt(declared, 10) > maxJson ? tooLarge() : timed();
    return limitStreamed(c, timed);
  });
  app.use("/v1/*", authenticate(auth));

  const deps: RouteDeps = {
    services,
    api: createApiRegistry(),
    auth,
    auditor,
    logger,
    metrics,
    role: (...roles) => requireRole(auth, ...roles),
    audited: audited(auditor, logger),
    maxDeliveryBytes: options.maxDeliveryBytes ?? 2 * 1024 ** 3,
    now,
    verificationLockout:
      options.verificationLockout ?? createMemoryLockout(options.lockoutRules ?? DEFAULT_LOCKOUT, now),
  };
  for (const routes of [
    deliveryRoutes,
    searchRoutes,
    callerRoutes,
    customerRoutes,
    coverageRoutes,
    verificationRoutes,
    phonePolicyRoutes,
    productRoutes,
    partnerRoutes,
    jobRoutes,
    auditRoutes,
    privacyRoutes,
    healthRoutes,
    docsRoutes,
  ]) {
    app.route("/", routes(deps));
  }
  app.route("/", customerSourceRoutes(deps));
  app.route("/", appTimingRoutes(deps, options.timings ?? createPromiseTimings()));
  if (options.web) app.route("/", webAppRoutes(deps, options.web));

  app.notFound((c) => problemResponse(c, new AppError("NOT_FOUND", "no such resource")));
  app.onError((err, c) => {
    if (isStoreUnavailable(err)) {
      // The store's driver could not reach its server: a 503 the caller may retry, not a 500.
      logger.warn({ err: (err as Error).message, route: routePath(c, -1) }, "store unavailable");
      metrics.engineErrors.inc();
      return problemResponse(c, storeUnavailable(err));
    }
    if (!(err instanceof AppError)) {
      // Unexpected failures are almost always a store or engine giving out; the message has no body data.
      logger.error({ err: err.message, route: routePath(c, -1) }, "unexpected error");
      metrics.engineErrors.inc();
    } else if (err.code === "ENGINE_UNAVAILABLE") {
      metrics.engineErrors.inc();
    }
    const headers: Record<string, string> =
      err instanceof AppError && err.code === "UNAUTHENTICATED"
        ? { "WWW-Authenticate": 'Bearer realm="klantherkenning"' }
        : {};
    return problemResponse(c, err, headers);
  });
  return Object.assign(app, {
    /** Writes the audit records of open bursts of refusals (at shutdown; in tests). */
    flushAudit: () => refusals.flush(),
  });
}

/** Requests a minute unless configured (the env defaults; docs/security.md). */
export const DEFAULT_RATE_LIMITS: RequestLimitRules = {
  perRole: { agent: 600, "intake-bot": 60, admin: 300, ingest: 120 },
  otherPerMinute: 60,
  anonymousPerMinute: 30,
};

/** 5 failed verifications against one policy number or customer within 30 minutes lock it for 30 minutes. */
export const DEFAULT_LOCKOUT: LockoutRules = { attempts: 5, windowMs: 30 * 60_000, lockMs: 30 * 60_000 };

/** The Hono app type. */
export type App = ReturnType<typeof createApp>;

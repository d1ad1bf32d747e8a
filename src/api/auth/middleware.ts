import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../../domain/errors.ts";
import type { Logger } from "../../logger.ts";
import { type Auditor, endpointOf } from "../audit.ts";
import type { AppEnv } from "../context.ts";
import type { RequestLimits } from "../request-limits.ts";
import type { Principal, Role, TokenVerifier } from "./principal.ts";

/** Dependencies of the auth middleware. */
export interface AuthDeps {
  verifier: TokenVerifier;
  auditor: Auditor;
  logger: Logger;
  /** Rate limits charged at authentication (per client address without a token, per subject with one). */
  limits?: RequestLimits;
}

/**
 * Records a refused request in the audit. The refusal stands whatever happens here, so a failed audit
 * write is logged rather than turned into a different answer.
 */
export async function recordRefusal(
  deps: Pick<AuthDeps, "auditor" | "logger">,
  c: Context<AppEnv>,
  who: { subject: string; roles: Role[]; clientAddress?: string },
  outcome: "unauthenticated" | "denied" | "error",
  status: number,
): Promise<void> {
  await deps.auditor
    .record({ ...who, endpoint: endpointOf(c), fields: [], customerIds: [], outcome, status })
    .catch((e) => deps.logger.error({ err: (e as Error).message }, "audit write failed"));
}

/**
 * Authenticates `Authorization: Bearer …`; a missing or bad token is a 401 (a key set that cannot be
 * fetched a 503) and is recorded in the audit as `unauthenticated` under the subject "anonymous", with
 * the client address. Before anything is recorded, such a request is charged to its client address, and
 * a request with a valid token to its subject: over the limit it is a 429, recorded once per burst.
 */
export function authenticate(deps: AuthDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
    let principal: Principal;
    try {
      if (!match) throw new AppError("UNAUTHENTICATED", "a bearer token is required");
      principal = await deps.verifier.verify(match[1]!);
    } catch (err) {
      const status = err instanceof AppError && err.code === "AUTH_UNAVAILABLE" ? 503 : 401;
      // A key set we cannot fetch is our failure, not the caller's: it costs their address nothing.
      if (status === 401) await deps.limits?.anonymous(c);
      const address = c.get("clientAddress");
      const who = { subject: "anonymous", roles: [], ...(address ? { clientAddress: address } : {}) };
      await recordRefusal(deps, c, who, status === 401 ? "unauthenticated" : "error", status);
      throw err;
    }
    c.set("principal", principal);
    await deps.limits?.principal(c, principal);
    await next();
  };
}

/** Allows only callers holding one of `roles`; a refusal is a 403, recorded in the audit as `denied`. */
export function requireRole(deps: AuthDeps, ...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get("principal");
    if (!p.roles.some((r) => roles.includes(r))) {
      await recordRefusal(deps, c, p, "denied", 403);
      throw new AppError("FORBIDDEN", "this role may not use this endpoint");
    }
    await next();
  };
}

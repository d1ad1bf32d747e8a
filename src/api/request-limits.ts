import type { Context } from "hono";
import { AppError } from "../domain/errors.ts";
import { endpointOf } from "./audit.ts";
import type { Principal, Role } from "./auth/principal.ts";
import type { AppEnv } from "./context.ts";
import type { RateLimiter, RateRule } from "./rate-limit.ts";
import type { RefusalDigest } from "./refusal-digest.ts";

/** Requests a minute: per token subject by role, and per client address for requests without a valid token. */
export interface RequestLimitRules {
  perRole: Partial<Record<Role, number>>;
  /** A token whose roles have no rule of their own (or none at all). */
  otherPerMinute: number;
  anonymousPerMinute: number;
}

/** The limits every `/v1` request passes at authentication; a refusal throws RATE_LIMITED (429). */
export interface RequestLimits {
  /** Charges a request without a valid token to its client address. */
  anonymous(c: Context<AppEnv>): Promise<void>;
  /** Charges a request to its token subject (every role, refused ones too). */
  principal(c: Context<AppEnv>, p: Principal): Promise<void>;
}

/** The per-minute allowance of a token: the most generous of its roles. */
export function ruleFor(rules: RequestLimitRules, roles: readonly Role[]): RateRule {
  const own = roles.flatMap((r) => (rules.perRole[r] !== undefined ? [rules.perRole[r]!] : []));
  return { perMinute: own.length > 0 ? Math.max(...own) : rules.otherPerMinute };
}

/** Limits on top of a rate limiter; refusals go to the audit as bursts (one record with a count). */
export function createRequestLimits(
  limiter: RateLimiter,
  digest: RefusalDigest,
  rules: RequestLimitRules,
): RequestLimits {
  const refuse = (
    c: Context<AppEnv>,
    key: string,
    who: { subject: string; roles: Role[]; clientAddress?: string },
    perMinute: number,
    retryAfter: number,
  ): never => {
    digest.refuse(key, {
      ...who,
      endpoint: endpointOf(c),
      fields: [],
      customerIds: [],
      outcome: "rate_limited",
      status: 429,
    });
    throw new AppError("RATE_LIMITED", `more than ${perMinute} requests per minute`, {
      details: { retryAfter },
    });
  };
  const anonymousRule = { perMinute: rules.anonymousPerMinute };
  return {
    async anonymous(c) {
      const address = c.get("clientAddress") ?? "unknown";
      const d = await limiter.take(`addr:${address}`, anonymousRule);
      if (!d.allowed) {
        const who = { subject: "anonymous", roles: [], clientAddress: address };
        refuse(c, `addr:${address}`, who, rules.anonymousPerMinute, d.retryAfterSeconds);
      }
    },
    async principal(c, p) {
      const rule = ruleFor(rules, p.roles);
      const d = await limiter.take(`sub:${p.subject}`, rule);
      if (!d.allowed) {
        refuse(
          c,
          `sub:${p.subject}`,
          { subject: p.subject, roles: p.roles },
          rule.perMinute,
          d.retryAfterSeconds,
        );
      }
    },
  };
}

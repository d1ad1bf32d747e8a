import type { MiddlewareHandler } from "hono";
import { AppError } from "../domain/errors.ts";
import type { AppEnv } from "./context.ts";

/** Requests per minute per token subject, by kind of caller. */
export interface RateLimits {
  botPerMinute: number;
  agentPerMinute: number;
}

/** A fixed one-minute window per subject; in memory, per process (one process serves the API). */
export function createRateLimiter(limits: RateLimits, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; count: number }>();
  /** Counts one request; throws RATE_LIMITED with the seconds until the window resets. */
  const hit = (subject: string, limit: number): void => {
    const t = now();
    let w = windows.get(subject);
    if (!w || t - w.start >= 60_000) {
      w = { start: t, count: 0 };
      windows.set(subject, w);
      if (windows.size > 10_000) {
        for (const [k, v] of windows) if (t - v.start >= 60_000) windows.delete(k);
      }
    }
    w.count += 1;
    if (w.count > limit) {
      const retryAfter = Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000));
      throw new AppError("RATE_LIMITED", `more than ${limit} requests per minute`, {
        details: { retryAfter },
      });
    }
  };
  return {
    hit,
    /** Middleware: a token that is only an intake bot gets the bot limit, anyone else the agent limit. */
    middleware(): MiddlewareHandler<AppEnv> {
      return async (c, next) => {
        const p = c.get("principal");
        const botOnly = p.roles.includes("intake-bot") && !p.roles.includes("agent");
        hit(p.subject, botOnly ? limits.botPerMinute : limits.agentPerMinute);
        await next();
      };
    },
  };
}

/** The rate limiter type. */
export type RateLimiter = ReturnType<typeof createRateLimiter>;

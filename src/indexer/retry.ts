import { AppError } from "../domain/errors.ts";

/**
 * How often and how patiently to retry a call that failed for a passing reason: at most `attempts`
 * tries (unbounded when absent), and no new try once `maxWaitMs` has passed since the first (unbounded
 * when absent); the waits double from `baseDelayMs` up to `maxDelayMs`.
 */
export interface RetryPolicy {
  attempts?: number;
  baseDelayMs: number;
  maxDelayMs?: number;
  maxWaitMs?: number;
}

/** Is this failure worth another try: the engine said 429 / was unavailable / did not answer? */
export function isTransient(e: unknown): boolean {
  if (e instanceof AppError)
    return e.code === "RATE_LIMITED" || e.code === "ENGINE_UNAVAILABLE" || e.code === "SEARCH_UNAVAILABLE";
  const status = (e as { statusCode?: number; meta?: { statusCode?: number } } | null)?.meta?.statusCode;
  return status === 429 || status === 503;
}

/**
 * Runs `fn`, retrying failures `transient` accepts with exponential backoff and jitter (base, 2×base,
 * 4×base … up to maxDelayMs); the last failure is thrown when the policy's attempts or time run out,
 * and a permanent one at once.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (e: unknown, attempt: number) => void,
  transient: (e: unknown) => boolean = isTransient,
): Promise<T> {
  if (policy.attempts === undefined && policy.maxWaitMs === undefined)
    throw new TypeError("a retry policy needs attempts, maxWaitMs or both");
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const outOfTries = policy.attempts !== undefined && attempt >= policy.attempts;
      const delay = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs ?? Infinity);
      const outOfTime = policy.maxWaitMs !== undefined && Date.now() - started + delay / 2 > policy.maxWaitMs;
      if (outOfTries || outOfTime || !transient(e)) throw e;
      onRetry?.(e, attempt);
      await new Promise((r) => setTimeout(r, delay / 2 + Math.random() * (delay / 2)));
    }
  }
}

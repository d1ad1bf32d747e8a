import { AppError } from "../domain/errors.ts";

/** How often and how patiently to retry an engine call that failed for a passing reason. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

/** Is this failure worth another try: the engine said 429 / was unavailable / did not answer? */
export function isTransient(e: unknown): boolean {
  if (e instanceof AppError) return e.code === "RATE_LIMITED" || e.code === "ENGINE_UNAVAILABLE";
  const status = (e as { statusCode?: number; meta?: { statusCode?: number } } | null)?.meta?.statusCode;
  return status === 429 || status === 503;
}

/**
 * Runs `fn`, retrying transient failures with exponential backoff and jitter (base, 2×base, 4×base …);
 * the last failure is thrown when attempts run out, and a permanent one at once.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (e: unknown, attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= policy.attempts || !isTransient(e)) throw e;
      onRetry?.(e, attempt);
      const delay = policy.baseDelayMs * 2 ** (attempt - 1);
      await new Promise((r) => setTimeout(r, delay / 2 + Math.random() * (delay / 2)));
    }
  }
}

import { AppError } from "../domain/errors.ts";
import type { SearchCallOptions, SearchInput } from "./customer-search.ts";

/** A search service in either shape (answers as objects, or as JSON bodies). */
interface Searching<A> {
  search(input: SearchInput, options?: SearchCallOptions): Promise<A>;
  callers(phone: string, limit?: number, options?: SearchCallOptions): Promise<A>;
}

/** The answer when the search engine cannot answer now: a 503 the caller may retry. */
export const searchUnavailable = (cause?: unknown) =>
  new AppError("SEARCH_UNAVAILABLE", "the search engine is not answering; try again shortly", {
    cause,
    details: { retryAfter: 5 },
  });

/**
 * A search with a deadline: without an answer after `ms`, the search is cancelled (the engine request
 * aborted, the worker told) and the caller gets SEARCH_UNAVAILABLE at once, rather than waiting for
 * an engine that has gone away; an engine that refuses or drops the connection is SEARCH_UNAVAILABLE
 * too. A request's own signal (its timeout) cancels the search as well. Bad input stays a 400.
 * `ms` Infinity sets no deadline of its own (the embedded engine, which cannot go away).
 */
export function withSearchDeadline<A>(inner: Searching<A>, ms: number): Searching<A> {
  const run = async (call: (options: SearchCallOptions) => Promise<A>, options?: SearchCallOptions) => {
    const outer = options?.signal as AbortSignal | undefined;
    // No deadline (Infinity): only the request's own signal, and unavailability answered as such.
    const deadline = Number.isFinite(ms) ? AbortSignal.timeout(ms) : new AbortController().signal;
    const signal = outer ? AbortSignal.any([outer, deadline]) : deadline;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      // Whatever the engine does with the signal, the caller is answered when it fires.
      return await Promise.race([call({ signal }), aborted]);
    } catch (err) {
      if (outer?.aborted) throw err;
      if (deadline.aborted) throw searchUnavailable(err);
      if (err instanceof AppError && err.code === "ENGINE_UNAVAILABLE") throw searchUnavailable(err);
      throw err;
    } finally {
      signal.removeEventListener("abort", onAbort!);
      aborted.catch(() => {});
    }
  };
  return {
    search: (input, options) => run((o) => inner.search(input, o), options),
    callers: (phone, limit, options) => run((o) => inner.callers(phone, limit, o), options),
  };
}

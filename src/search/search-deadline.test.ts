import { describe, expect, it } from "vitest";
import { AppError } from "../domain/errors.ts";
import type { CancelSignal, SearchInput } from "./customer-search.ts";
import { withSearchDeadline } from "./search-deadline.ts";

const input: SearchInput = { name: "Jansen", limit: 10 };

/** A search service that answers as told, and keeps the signal it was given. */
function service(answer: (signal?: CancelSignal) => Promise<string>) {
  const seen: Array<CancelSignal | undefined> = [];
  return {
    seen,
    search: (_i: SearchInput, o?: { signal?: CancelSignal }) => {
      seen.push(o?.signal);
      return answer(o?.signal);
    },
    callers: (_p: string, _l?: number, o?: { signal?: CancelSignal }) => {
      seen.push(o?.signal);
      return answer(o?.signal);
    },
  };
}

describe("a search with a deadline", () => {
  it("an engine that never answers: SEARCH_UNAVAILABLE at the deadline, and the search beneath is told to stop", async () => {
    const s = service(() => new Promise<string>(() => {}));
    await expect(withSearchDeadline(s, 20).search(input)).rejects.toMatchObject({
      code: "SEARCH_UNAVAILABLE",
    });
    expect(s.seen[0]?.aborted).toBe(true);
  });

  it("an engine that is unavailable: SEARCH_UNAVAILABLE at once, Retry-After 5", async () => {
    const s = service(() => Promise.reject(new AppError("ENGINE_UNAVAILABLE", "connection refused")));
    await expect(withSearchDeadline(s, 60_000).callers("0612345678")).rejects.toMatchObject({
      code: "SEARCH_UNAVAILABLE",
      details: { retryAfter: 5 },
    });
  });

  it("bad input stays a 400; an answer in time is the answer", async () => {
    const bad = service(() => Promise.reject(new AppError("VALIDATION_FAILED", "no")));
    await expect(withSearchDeadline(bad, 1000).search(input)).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect(
      await withSearchDeadline(
        service(async () => "ok"),
        1000,
      ).search(input),
    ).toBe("ok");
  });

  it("the request's own signal ends it with the request's reason; no deadline of its own when Infinity", async () => {
    const s = service(() => new Promise<string>(() => {}));
    const request = new AbortController();
    const searching = withSearchDeadline(s, Number.POSITIVE_INFINITY).search(input, {
      signal: request.signal,
    });
    const reason = new AppError("TIMEOUT", "the request took too long");
    request.abort(reason);
    await expect(searching).rejects.toBe(reason);
    expect(s.seen[0]?.aborted).toBe(true);
  });
});

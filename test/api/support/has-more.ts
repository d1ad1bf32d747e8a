import { expect } from "vitest";
import type { Harness } from "./harness.ts";

interface Answer {
  results: Array<{ customerId: string }>;
  hasMore: boolean;
}

/**
 * Checks `hasMore` on portfolio A through the API: for every limit it says exactly whether a search
 * for all of them shows more, in the search and in the caller lookup.
 */
export async function expectHasMoreToTell(h: Harness): Promise<void> {
  const token = await h.token("agent", { sub: "agent-has-more" });
  const ask = async (path: string, json: unknown): Promise<Answer> => {
    const res = await h.call("POST", path, { token, json });
    expect(res.status).toBe(200);
    return (await res.json()) as Answer;
  };
  // Two customers live in these cities: Berg in Amsterdam, Jansen in Utrecht.
  const all = await ask("/v1/search", { q: "amsterdam utrecht", limit: 50 });
  expect([all.results.length, all.hasMore]).toEqual([2, false]);
  for (const limit of [1, 2, 3]) {
    const res = await ask("/v1/search", { q: "amsterdam utrecht", limit });
    expect({ limit, shown: res.results.length, hasMore: res.hasMore }).toEqual({
      limit,
      shown: Math.min(2, limit),
      hasMore: limit < 2,
    });
  }
  const caller = await ask("/v1/callers", { phone: "06-12345678", limit: 1 });
  expect([caller.results.length, caller.hasMore]).toEqual([1, false]);
}

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  answer,
  answeredFor,
  clearSearch,
  DEBOUNCE_MS,
  fields,
  query,
  scheduleSearch,
  searchBody,
} from "./search-state.ts";

interface Call {
  body: { q?: string };
  signal: AbortSignal;
  resolve: (json: unknown) => void;
}
const calls: Call[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  calls.length = 0;
  vi.stubGlobal("fetch", (_url: string, init: RequestInit) => {
    const signal = init.signal!;
    return new Promise((resolve, reject) => {
      signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      calls.push({
        body: JSON.parse(String(init.body)),
        signal,
        resolve: (json) => resolve(new Response(JSON.stringify(json), { status: 200 })),
      });
    });
  });
  clearSearch();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const typed = (text: string) => {
  query.value = text;
  scheduleSearch();
};
const answerFor = (q: string) => ({ results: [], tookMs: 1, hasMore: false, q });

describe("search as you type", () => {
  it("asks once per pause in typing, not once per key", async () => {
    typed("ja");
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS / 2);
    typed("jan");
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS / 2);
    typed("jans");
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(calls.map((c) => c.body.q)).toEqual(["jans"]);
  });

  it("cancels the request still running when the text changes, and never shows its answer", async () => {
    typed("jan");
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    typed("jansen");
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(calls.map((c) => c.body.q)).toEqual(["jan", "jansen"]);
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[1]!.resolve(answerFor("jansen"));
    await vi.advanceTimersByTimeAsync(0);
    expect(JSON.parse(answeredFor.value!).q).toBe("jansen");
    expect(answer.value?.results).toEqual([]);
  });

  it("asks nothing for a single letter, but does for a structured field alone", () => {
    expect(searchBody("j", fields.value)).toBeNull();
    expect(searchBody(" ", { ...fields.value, postcode: "3511 AB" })).toEqual({
      limit: 10,
      postcode: "3511 AB",
    });
    expect(searchBody("de vries", { ...fields.value, houseNumber: " 12 " })).toEqual({
      limit: 10,
      q: "de vries",
      houseNumber: "12",
    });
  });
});

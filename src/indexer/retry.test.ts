import { describe, expect, it, vi } from "vitest";
import { AppError } from "../domain/errors.ts";
import { withRetry } from "./retry.ts";

const unavailable = () => Promise.reject(new AppError("ENGINE_UNAVAILABLE", "connection refused"));

describe("retrying a call that failed for a passing reason", () => {
  it("tries at most `attempts` times", async () => {
    let tries = 0;
    await expect(
      withRetry(
        () => {
          tries++;
          return unavailable();
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toMatchObject({ code: "ENGINE_UNAVAILABLE" });
    expect(tries).toBe(3);
  });

  it("without a count, keeps trying until `maxWaitMs` has passed, then gives up with the last failure", async () => {
    // On a fake clock, so the waits are exactly the policy's however busy the machine is.
    vi.useFakeTimers();
    try {
      const started = Date.now();
      const tries: number[] = [];
      const outcome = withRetry(
        () => {
          tries.push(Date.now() - started);
          return unavailable();
        },
        { baseDelayMs: 2, maxDelayMs: 4, maxWaitMs: 60 },
      );
      const rejected = expect(outcome).rejects.toMatchObject({ code: "ENGINE_UNAVAILABLE" });
      await vi.runAllTimersAsync();
      await rejected;
      // Waits of 1–2 ms, then 2–4 ms: at least 15 tries in 60 ms, the last one near the end and
      // the one before it within the time allowed.
      expect(tries.length).toBeGreaterThanOrEqual(15);
      expect(tries.at(-1)).toBeGreaterThan(58);
      expect(tries.at(-2)).toBeLessThanOrEqual(60);
    } finally {
      vi.useRealTimers();
    }
  });

  it("succeeds as soon as the call does, and gives up at once on a permanent failure", async () => {
    let tries = 0;
    expect(
      await withRetry(() => (++tries < 3 ? unavailable() : Promise.resolve("ok")), {
        baseDelayMs: 1,
        maxWaitMs: 10_000,
      }),
    ).toBe("ok");
    tries = 0;
    await expect(
      withRetry(
        () => {
          tries++;
          return Promise.reject(new AppError("VALIDATION_FAILED", "bad"));
        },
        {
          attempts: 5,
          baseDelayMs: 1,
        },
      ),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(tries).toBe(1);
  });

  it("refuses a policy that would never stop", async () => {
    await expect(withRetry(unavailable, { baseDelayMs: 1 })).rejects.toThrow(TypeError);
  });
});

import { describe, expect, it } from "vitest";
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
    let tries = 0;
    const started = Date.now();
    await expect(
      withRetry(
        () => {
          tries++;
          return unavailable();
        },
        { baseDelayMs: 2, maxDelayMs: 4, maxWaitMs: 60 },
      ),
    ).rejects.toMatchObject({ code: "ENGINE_UNAVAILABLE" });
    expect(tries).toBeGreaterThan(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
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

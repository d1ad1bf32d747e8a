import { describe, expect, it } from "vitest";
import { runLockoutCases } from "../../test/api/shared-limits.cases.ts";
import { createMemoryLockout } from "./verification-lockout.ts";

const MIN = 60_000;

describe("verification lockout", () => {
  runLockoutCases(async (rules, now) => createMemoryLockout(rules, now));

  it("remembers at most maxTargets targets, the expired ones going first", async () => {
    let t = 0;
    const lockout = createMemoryLockout({ attempts: 5, windowMs: MIN, lockMs: MIN }, () => t, 2);
    await lockout.fail(["a"]);
    await lockout.fail(["b"]);
    t += MIN;
    await lockout.fail(["c"]);
    expect(lockout.size()).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { createMemoryLockout } from "./verification-lockout.ts";

const MIN = 60_000;

describe("verification lockout", () => {
  it("locks a target at the Nth failure within the window, for the lock's time", async () => {
    let t = 0;
    const lockout = createMemoryLockout({ attempts: 3, windowMs: 30 * MIN, lockMs: 30 * MIN }, () => t);
    expect(await lockout.fail(["policy:A1"])).toEqual([]);
    t += MIN;
    expect(await lockout.fail(["policy:A1", "customer:c1"])).toEqual([]);
    expect(await lockout.lockedFor(["policy:A1"])).toBe(0);
    t += MIN;
    expect(await lockout.fail(["policy:A1"])).toEqual(["policy:A1"]);
    expect(await lockout.lockedFor(["customer:c1", "policy:A1"])).toBe(30 * 60);
    t += 30 * MIN - 1;
    expect(await lockout.lockedFor(["policy:A1"])).toBe(1);
    t += 1;
    expect(await lockout.lockedFor(["policy:A1"])).toBe(0);
  });

  it("failures older than the window are forgotten", async () => {
    let t = 0;
    const lockout = createMemoryLockout({ attempts: 2, windowMs: 10 * MIN, lockMs: 10 * MIN }, () => t);
    await lockout.fail(["customer:c1"]);
    t += 10 * MIN;
    expect(await lockout.fail(["customer:c1"])).toEqual([]);
    expect(await lockout.fail(["customer:c1"])).toEqual(["customer:c1"]);
  });

  it("a verified attempt forgets the failures", async () => {
    const lockout = createMemoryLockout({ attempts: 2, windowMs: MIN, lockMs: MIN }, () => 0);
    await lockout.fail(["customer:c1"]);
    await lockout.succeed(["customer:c1"]);
    expect(await lockout.fail(["customer:c1"])).toEqual([]);
  });

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

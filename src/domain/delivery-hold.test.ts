import { describe, expect, it } from "vitest";
import { holdFor } from "./delivery-hold.ts";

describe("a full delivery is held when it would end an unusual share of the portfolio", () => {
  it.each([
    ["ends nothing", 0, 1000, 20, null],
    ["ends 1 % (a normal month)", 10, 990, 20, null],
    ["ends exactly the threshold", 200, 800, 20, null],
    ["ends just over the threshold", 201, 799, 20, 20.1],
    ["ends 30 % (a truncated export)", 300, 700, 20, 30],
    ["ends everything it held", 5, 0, 20, 100],
    ["ends 30 % of a partner allowing 50 %", 300, 700, 50, null],
    ["ends one policy of a partner allowing nothing", 1, 999, 0, 0.1],
  ])("%s", (_what, wouldEnd, kept, threshold, percent) => {
    const hold = holdFor(wouldEnd, kept, threshold, "2026-11-30");
    expect(hold?.percent ?? null).toBe(percent);
    if (hold)
      expect(hold).toMatchObject({
        wouldEnd,
        running: wouldEnd + kept,
        thresholdPercent: threshold,
        endDate: "2026-11-30",
      });
  });
});

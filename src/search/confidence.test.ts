import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CALIBRATION, confidenceOf } from "./confidence.ts";

describe("confidenceOf: how sure the search is that a result is the customer meant", () => {
  it("never calls two candidates who match equally well both likely", () => {
    expect(confidenceOf([30, 30], 0)).toBeLessThanOrEqual(0.5);
    expect(confidenceOf([30, 30, 30], 1)).toBeLessThanOrEqual(0.34);
  });

  it("does not call a lone weak match likely (one surname typed with a typo)", () => {
    expect(confidenceOf([6.5], 0)).toBeLessThan(0.5);
    expect(confidenceOf([CALIBRATION.midpoint], 0)).toBeCloseTo(0.5, 2);
  });

  it("rises with the score and with the lead over the others", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 40, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (score, lead, more) => {
          expect(confidenceOf([score + more, score - lead], 0)).toBeGreaterThanOrEqual(
            confidenceOf([score, score - lead], 0),
          );
          expect(confidenceOf([score, score - lead - more], 0)).toBeGreaterThanOrEqual(
            confidenceOf([score, score - lead], 0),
          );
        },
      ),
    );
  });

  it("gives a candidate behind another less than the one ahead", () => {
    expect(confidenceOf([20, 16], 1)).toBeLessThan(confidenceOf([20, 16], 0));
  });
});

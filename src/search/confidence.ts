/** Parameters of the confidence: where and how steeply the absolute part rises, and the spread of the relative part. */
export interface Calibration {
  /** Score at which a lone candidate is as likely right as not. */
  midpoint: number;
  /** Steepness of the absolute part per score point. */
  slope: number;
  /** Score points over which two candidates count as hard to tell apart. */
  spread: number;
}

/**
 * Fitted by `bench/calibrate.ts` on the tuning set (the quality suite's query types at 20,000 and
 * 200,000 customers, portfolio seed 4242, 2026-12-07; 4,313 top results, 118 of them wrong, most on
 * queries that fit two customers alike): midpoint held at 10.5 so that a lone surname (10 points) is
 * never called likely, spread set at 0.5 rather than the fitted 0.3 so that a one-point lead (a
 * roepnaam) gives 0.88, not 0.96. On the held-out set 406 of 423 top results came at ≥ 0.9, 99.75 %
 * of them right (docs/benchmarks.md).
 */
export const CALIBRATION: Calibration = { midpoint: 10.5, slope: 1.15, spread: 0.5 };

/**
 * The confidence that the candidate scoring `scores[at]` is the customer meant (`scores`: every
 * candidate's score, best first): its absolute confidence (a logistic curve of its score) capped by
 * its share against the others, so that candidates who match equally well are never both certain.
 */
export function confidenceOf(scores: readonly number[], at: number, c: Calibration = CALIBRATION): number {
  const score = scores[at]!;
  const absolute = 1 / (1 + Math.exp(-c.slope * (score - c.midpoint)));
  let sum = 0;
  // Best first: once a candidate is 12 spreads below, all after it are too (their share is nil).
  for (const other of scores) {
    const d = (other - score) / c.spread;
    if (d <= -12) break;
    sum += Math.exp(d);
  }
  return Math.round(Math.min(absolute, 1 / sum) * 1000) / 1000;
}

/**
 * Fits the confidence (src/search/confidence.ts) to quality reports written by
 * `npm run bench -- quality --json FILE` on the tuning set: the midpoint and slope of its absolute
 * part and the spread of its relative part, by the least log-loss over a grid, the midpoint held at
 * `--min-midpoint` or above (default 9: a lone surname with a typo scores 6.5, and must not be called
 * likely). Prints the fit and the reliability (confidence bin: top results, share right) with it.
 * Usage: `node bench/calibrate.ts [--min-midpoint 9] REPORT.json…`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type Calibration, confidenceOf } from "../src/search/confidence.ts";
import type { QualityReport } from "../test/quality/evaluate.ts";

const { values, positionals } = parseArgs({
  options: { "min-midpoint": { type: "string", default: "9" } },
  allowPositionals: true,
});
if (positionals.length === 0)
  throw new Error("usage: node bench/calibrate.ts [--min-midpoint 9] REPORT.json…");
const tops = positionals.flatMap(
  (f) => (JSON.parse(readFileSync(f, "utf8")) as { report: QualityReport }).report.tops,
);

function logLoss(c: Calibration): number {
  let loss = 0;
  for (const t of tops) {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, confidenceOf(t.scores, 0, c)));
    loss -= t.right ? Math.log(p) : Math.log(1 - p);
  }
  return loss / tops.length;
}

let best: { c: Calibration; loss: number } | undefined;
for (let midpoint = Number(values["min-midpoint"]); midpoint <= 16; midpoint += 0.5)
  for (let slope = 0.2; slope <= 1.2; slope += 0.05)
    for (let spread = 0.3; spread <= 2; spread += 0.1) {
      const c = { midpoint, slope: Math.round(slope * 100) / 100, spread: Math.round(spread * 10) / 10 };
      const loss = logLoss(c);
      if (!best || loss < best.loss) best = { c, loss };
    }
console.log(`${tops.length} top results, ${tops.filter((t) => !t.right).length} wrong`);
console.log(`fit: ${JSON.stringify(best!.c)} (log-loss ${best!.loss.toFixed(4)})`);
const bins = Array.from({ length: 10 }, () => ({ n: 0, right: 0 }));
for (const t of tops) {
  const b = bins[Math.min(9, Math.floor(confidenceOf(t.scores, 0, best!.c) * 10))]!;
  b.n++;
  if (t.right) b.right++;
}
console.log(
  bins.map((b, i) => `${(i / 10).toFixed(1)}: ${b.n}, ${b.n ? (b.right / b.n).toFixed(3) : "-"}`).join("; "),
);

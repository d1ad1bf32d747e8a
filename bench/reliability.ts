/**
 * The reliability diagram of the search's confidence: per bin of confidence (width 0.1), the share of
 * top results that were the customer meant, for each quality report given (written by
 * `npm run bench -- quality --json FILE`). The confidence is worked out again from each query's
 * result scores with the calibration in src/search/confidence.ts, so reports taken before a refit
 * still show the confidence as it is now (the share then counts the top 10 results, not every
 * candidate). Prints the bins and writes the plot as SVG.
 * Usage: `node bench/reliability.ts --svg docs/reliability.svg NAME=REPORT.json…`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { confidenceOf } from "../src/search/confidence.ts";
import { type QualityReport, reliability } from "../test/quality/evaluate.ts";
import { svgChart } from "./svg-chart.ts";

const { values, positionals } = parseArgs({ options: { svg: { type: "string" } }, allowPositionals: true });
const COLORS = ["#1f6fb2", "#d9822b", "#2a9d4b", "#8e44ad"];
const series = positionals.map((arg, i) => {
  const [name, file] = arg.includes("=") ? (arg.split("=") as [string, string]) : [arg, arg];
  const { report: taken } = JSON.parse(readFileSync(file, "utf8")) as { report: QualityReport };
  const report = { ...taken, tops: taken.tops.map((t) => ({ ...t, confidence: confidenceOf(t.scores, 0) })) };
  const bins = reliability(report.tops).filter((b) => b.n > 0);
  const confident = report.tops.filter((t) => t.confidence >= 0.9);
  console.log(
    `${name}: ${report.tops.length} top results; confidence ≥ 0.9: ${confident.length}, ${(confident.filter((t) => t.right).length / (confident.length || 1)).toFixed(4)} right`,
  );
  for (const b of bins)
    console.log(
      `  ${b.from.toFixed(1)}–${(b.from + 0.1).toFixed(1)}: ${String(b.n).padStart(5)} results, mean confidence ${b.mean.toFixed(3)}, right ${b.right.toFixed(3)}`,
    );
  return {
    name: `${name} (${report.tops.length} top results)`,
    points: bins.map((b): [number, number] => [b.mean, b.right]),
    color: COLORS[i % COLORS.length]!,
    dots: true,
  };
});
if (values.svg)
  writeFileSync(
    values.svg,
    svgChart({
      title: "Reliability of the confidence: top results right, per confidence bin",
      xLabel: "confidence given (mean of the bin)",
      yLabel: "share of top results right",
      xMax: 1,
      yMax: 1,
      xTicks: [0, 0.2, 0.4, 0.6, 0.8, 1],
      yTicks: [0, 0.2, 0.4, 0.6, 0.8, 1],
      legend: "bottom-right",
      series: [
        {
          name: "perfectly calibrated",
          points: [
            [0, 0],
            [1, 1],
          ],
          color: "#888",
          dashed: true,
        },
        ...series,
      ],
    }),
  );

import type { CustomerSearch } from "../../src/search/customer-search.ts";
import { naiveSearch } from "../../src/search/naive-baseline.ts";
import type { CustomerDoc, SearchEngine } from "../../src/search/search-engine.ts";
import type { QualityQuery } from "./noisy-queries.ts";

/** Recall@1, recall@5 and MRR (over the top 10) of one ranking method on one query type. */
export interface Metrics {
  r1: number;
  r5: number;
  mrr: number;
}

/** Quality of one query type, ours beside the naive baseline. */
export interface TypeReport {
  type: string;
  /** Queries counted. */
  n: number;
  /** Queries left out because another customer is indistinguishable on the query's evidence. */
  ambiguous: number;
  ours: Metrics;
  naive: Metrics;
}

/** The whole evaluation: per type, overall, confidence calibration and latency. */
export interface QualityReport {
  types: TypeReport[];
  overall: TypeReport;
  /** Top results with confidence ≥ 0.9 (ambiguous queries included): how many, and the share that was the right customer. */
  confident: { n: number; precision: number };
  /** Top results below 0.9: how many, and the share that was right. */
  unsure: { n: number; precision: number };
  latencyMs: { p50: number; p95: number; p99: number };
  failures: Array<{ type: string; q: string; expected: string; got: string | undefined }>;
  /**
   * Per query (ambiguous ones too): the top result's confidence, the scores of the results best
   * first, whether the top was the customer meant, and whether another had the very same evidence.
   */
  tops: Array<{ type: string; confidence: number; scores: number[]; right: boolean; ambiguous: boolean }>;
}

/** Confidence bins of a reliability diagram: per bin of width 0.1, how many top results and the share right. */
export function reliability(
  tops: QualityReport["tops"],
): Array<{ from: number; n: number; right: number; mean: number }> {
  const bins = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, n: 0, right: 0, sum: 0 }));
  for (const t of tops) {
    const b = bins[Math.min(9, Math.floor(t.confidence * 10))]!;
    b.n++;
    b.sum += t.confidence;
    if (t.right) b.right++;
  }
  return bins.map((b) => ({
    from: b.from,
    n: b.n,
    right: b.n ? b.right / b.n : 0,
    mean: b.n ? b.sum / b.n : 0,
  }));
}

const rankOf = (ids: readonly string[], id: string) => ids.indexOf(id) + 1;

function metrics(ranks: number[]): Metrics {
  const n = ranks.length || 1;
  return {
    r1: ranks.filter((r) => r === 1).length / n,
    r5: ranks.filter((r) => r >= 1 && r <= 5).length / n,
    mrr: ranks.reduce((s, r) => s + (r > 0 ? 1 / r : 0), 0) / n,
  };
}

/** The value at quantile `p` (0–1) of `xs`. */
export function quantile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * Runs every query through our search and the naive baseline on the same engine and scores both.
 * A query is left out (and counted as ambiguous) when a returned customer other than the expected one
 * has the very same evidence — twins with only surname and address, a shared household phone.
 */
export async function evaluate(
  search: CustomerSearch,
  engine: SearchEngine,
  docs: ReadonlyMap<string, CustomerDoc>,
  queries: readonly QualityQuery[],
  options: { naive?: boolean } = {},
): Promise<QualityReport> {
  const ranks = new Map<string, { ours: number[]; naive: number[]; ambiguous: number }>();
  const latencies: number[] = [];
  const confident = { n: 0, right: 0 };
  const unsure = { n: 0, right: 0 };
  const failures: QualityReport["failures"] = [];
  const tops: QualityReport["tops"] = [];
  for (const query of queries) {
    const start = performance.now();
    const res = await search.search({ q: query.q, limit: 10 });
    latencies.push(performance.now() - start);
    const ours = res.results.map((r) => r.customerId);
    const naive = options.naive === false ? [] : await naiveSearch(engine, query.q, 10);
    const entry = ranks.get(query.type) ?? { ours: [], naive: [], ambiguous: 0 };
    ranks.set(query.type, entry);
    const truth = query.evidence(docs.get(query.expected)!);
    const twin = [...ours, ...naive].some(
      (id) => id !== query.expected && docs.has(id) && query.evidence(docs.get(id)!) === truth,
    );
    // The confidence is judged on every query, twins included: there it must say "not sure".
    const top = res.results[0];
    if (top) {
      const bucket = top.confidence >= 0.9 ? confident : unsure;
      bucket.n++;
      if (top.customerId === query.expected) bucket.right++;
      tops.push({
        type: query.type,
        confidence: top.confidence,
        scores: res.results.map((r) => r.score),
        right: top.customerId === query.expected,
        ambiguous: twin,
      });
    }
    if (twin) {
      entry.ambiguous++;
      continue;
    }
    entry.ours.push(rankOf(ours, query.expected));
    entry.naive.push(rankOf(naive, query.expected));
    if (ours[0] !== query.expected && failures.length < 40)
      failures.push({ type: query.type, q: query.q, expected: query.expected, got: ours[0] });
  }
  const types = [...ranks].map(
    ([type, e]): TypeReport => ({
      type,
      n: e.ours.length,
      ambiguous: e.ambiguous,
      ours: metrics(e.ours),
      naive: metrics(e.naive),
    }),
  );
  const all = [...ranks.values()];
  const overall: TypeReport = {
    type: "overall",
    n: all.reduce((s, e) => s + e.ours.length, 0),
    ambiguous: all.reduce((s, e) => s + e.ambiguous, 0),
    ours: metrics(all.flatMap((e) => e.ours)),
    naive: metrics(all.flatMap((e) => e.naive)),
  };
  return {
    types,
    overall,
    confident: { n: confident.n, precision: confident.right / (confident.n || 1) },
    unsure: { n: unsure.n, precision: unsure.right / (unsure.n || 1) },
    latencyMs: {
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      p99: quantile(latencies, 0.99),
    },
    failures,
    tops,
  };
}

const f3 = (x: number) => x.toFixed(3);

/** The report as a plain-text table for the test output. */
export function formatReport(title: string, report: QualityReport): string {
  const head = `${"query type".padEnd(54)} ${"n".padStart(4)} ${"amb".padStart(4)} | ${"r@1".padStart(5)} ${"r@5".padStart(5)} ${"MRR".padStart(5)} | naive ${"r@1".padStart(5)} ${"r@5".padStart(5)} ${"MRR".padStart(5)}`;
  const line = (t: TypeReport) =>
    `${t.type.padEnd(54)} ${String(t.n).padStart(4)} ${String(t.ambiguous).padStart(4)} | ${f3(t.ours.r1)} ${f3(t.ours.r5)} ${f3(t.ours.mrr)} |       ${f3(t.naive.r1)} ${f3(t.naive.r5)} ${f3(t.naive.mrr)}`;
  return [
    `\n${title}`,
    head,
    "-".repeat(head.length),
    ...report.types.map(line),
    "-".repeat(head.length),
    line(report.overall),
    `confidence ≥ 0.9: ${report.confident.n} top results, ${f3(report.confident.precision)} right; below: ${report.unsure.n}, ${f3(report.unsure.precision)} right`,
    `reliability (confidence bin: top results, share right): ${reliability(report.tops)
      .filter((b) => b.n > 0)
      .map((b) => `${b.from.toFixed(1)}: ${b.n}, ${f3(b.right)}`)
      .join("; ")}`,
    `latency per search (ms): p50 ${report.latencyMs.p50.toFixed(1)}, p95 ${report.latencyMs.p95.toFixed(1)}, p99 ${report.latencyMs.p99.toFixed(1)}`,
  ].join("\n");
}

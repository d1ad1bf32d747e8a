import { readFileSync } from "node:fs";
import { confidenceOf } from "../src/search/confidence.ts";
const c = JSON.parse(process.argv[2]!);
const [lo, hi] = [Number(process.argv[3]), Number(process.argv[4])];
const by = new Map<string, [number, number, number[]]>();
for (const f of process.argv.slice(5)) for (const t of JSON.parse(readFileSync(f, "utf8")).report.tops) {
  const x = confidenceOf(t.scores, 0, c);
  if (x < lo || x >= hi) continue;
  const e = by.get(t.type) ?? [0, 0, []]; e[0]++; if (t.right) e[1]++; e[2].push(t.scores[0]); by.set(t.type, e);
}
for (const [k, [n, r, s]] of by) console.log(`${k}: ${n}, right ${r}, scores ${[...new Set(s)].slice(0, 8).join(" ")}`);

// node table.ts NAME=FILE ... → markdown: per type r@1 / r@5 / MRR per report, naive r@1 of the first
import { readFileSync } from "node:fs";
const reps = process.argv.slice(2).map((a) => { const [n, f] = a.split("="); return { n: n!, r: JSON.parse(readFileSync(f!, "utf8")).report }; });
const types = [...new Set(reps.flatMap((x) => x.r.types.map((t: any) => t.type)))];
const f3 = (v: number) => v.toFixed(3);
console.log(`| query type | n | ${reps.map((x) => `${x.n}: r@1 / r@5 / MRR`).join(" | ")} | naive r@1 / r@5 / MRR (${reps[0]!.n}) |`);
console.log(`| --- | --- | ${reps.map(() => "---").join(" | ")} | --- |`);
for (const type of [...types, "overall"]) {
  const get = (r: any) => (type === "overall" ? r.overall : r.types.find((t: any) => t.type === type));
  const first = get(reps[0]!.r);
  const cells = reps.map((x) => { const t = get(x.r); return t ? `${f3(t.ours.r1)} / ${f3(t.ours.r5)} / ${f3(t.ours.mrr)}` : "–"; });
  const naive = first && first.naive.mrr + first.naive.r1 > 0 ? `${f3(first.naive.r1)} / ${f3(first.naive.r5)} / ${f3(first.naive.mrr)}` : "–";
  console.log(`| ${type === "overall" ? "**overall**" : type} | ${first ? `${first.n} (${first.ambiguous})` : "–"} | ${cells.join(" | ")} | ${naive} |`);
}

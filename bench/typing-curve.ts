/**
 * The typing curve: 500 target customers' queries typed the way an agent does, character by
 * character, in two forms — `first name surname city` and `surname postcode house number` — through
 * our search (embedded engine, in process) and MiniSearch (prefix and fuzzy search over the same
 * fields). Per target: after how many characters the target comes first and stays first, beside the
 * limit, the first character at which the typed text fits that customer only (no other customer's
 * text in that form starts with it). Prints median and 90th percentile of both, how many targets
 * come first no later than the limit, how many never; writes a plot.
 * Usage: `npm run bench -- typing-curve [--customers 100000] [--targets 500] [--set held-out|tuning]
 * [--form "surname postcode house number"] [--svg docs/typing-curve.svg] [--json FILE]`.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import MiniSearch from "minisearch";
import { fold } from "../src/domain/normalise/text.ts";
import { createCustomerSearch } from "../src/search/customer-search-service.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import type { CustomerDoc } from "../src/search/search-engine.ts";
import { quantile } from "../test/quality/evaluate.ts";
import { heldOutDocBatches } from "../test/quality/held-out.ts";
import { prng } from "../test/quality/noisy-queries.ts";
import { portfolioDocBatches } from "../test/quality/portfolio.ts";
import { svgChart } from "./svg-chart.ts";

const { values: args } = parseArgs({
  options: {
    customers: { type: "string", default: "100000" },
    targets: { type: "string", default: "500" },
    set: { type: "string", default: "held-out" },
    svg: { type: "string" },
    json: { type: "string" },
    form: { type: "string" },
  },
});
const customers = Number(args.customers);
const targetCount = Number(args.targets);

interface Person {
  id: string;
  firstName: string;
  surname: string;
  city: string;
  postcode: string;
  house: string;
}

const FORMS = {
  "first name surname city": (p: Person) => `${p.firstName} ${p.surname} ${p.city}`,
  "surname postcode house number": (p: Person) => `${p.surname} ${p.postcode} ${p.house}`,
} as const;
type Form = keyof typeof FORMS;

function personOf(d: CustomerDoc): Person | null {
  const v = d.view;
  const a = v.address;
  if (d.kind !== "P" || !v.surname || !v.firstNames || !a.city || !a.postcode || !a.houseNumber) return null;
  return {
    id: d.customerId,
    firstName: v.firstNames.split(" ")[0]!,
    surname: [v.tussenvoegsel, v.surname].filter(Boolean).join(" "),
    city: a.city,
    postcode: a.postcode,
    house: `${a.houseNumber}${a.houseNumberAddition ?? ""}`,
  };
}

const key = (s: string) => fold(s).replace(/\s+/g, " ");

/** Characters after which `text` fits one customer only: one more than its longest common start with any other. */
function limits(persons: readonly Person[], form: Form): Map<string, number> {
  const texts = persons
    .map((p) => ({ id: p.id, t: key(FORMS[form](p)) }))
    .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  const lcp = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const out = new Map<string, number>();
  texts.forEach((x, i) => {
    const before = i > 0 ? lcp(x.t, texts[i - 1]!.t) : 0;
    const after = i + 1 < texts.length ? lcp(x.t, texts[i + 1]!.t) : 0;
    const shared = Math.max(before, after);
    // A text that another customer's text equals or starts with never fits one customer only.
    out.set(x.id, shared >= x.t.length ? Number.POSITIVE_INFINITY : shared + 1);
  });
  return out;
}

/** After how many characters `rank` answers the target first and keeps it first to the end (Infinity: never). */
async function firstAndStays(text: string, id: string, top: (typed: string) => Promise<string | undefined>) {
  let from = Number.POSITIVE_INFINITY;
  let previous: string | undefined;
  let answer: string | undefined;
  for (let n = text.length; n >= 1; n--) {
    const typed = text.slice(0, n).trim();
    if (typed !== previous) answer = typed.length > 0 ? await top(typed) : undefined;
    previous = typed;
    if (answer !== id) break;
    from = n;
  }
  return from;
}

const engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
await engine.init();
const persons: Person[] = [];
const batches =
  args.set === "held-out" ? heldOutDocBatches(customers, 9001) : portfolioDocBatches(customers, 4242);
for (const batch of batches) {
  await engine.upsert(batch);
  for (const d of batch) {
    const p = personOf(d);
    if (p) persons.push(p);
  }
}
const search = createCustomerSearch({ engine });
const mini = new MiniSearch<Person>({
  fields: ["firstName", "surname", "city", "postcode", "house"],
  searchOptions: { prefix: true, fuzzy: 0.2 },
});
mini.addAll(persons);

const r = prng(20261207);
const report: Record<string, unknown> = {};
const curves: Record<string, Array<[number, number]>> = {};
const forms = (Object.keys(FORMS) as Form[]).filter((f) => !args.form || f === args.form);
for (const form of forms) {
  const limit = limits(persons, form);
  const targets: Person[] = [];
  const chosen = new Set<string>();
  while (targets.length < targetCount) {
    const p = persons[Math.floor(r() * persons.length)]!;
    if (chosen.has(p.id) || !Number.isFinite(limit.get(p.id))) continue;
    chosen.add(p.id);
    targets.push(p);
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  const lims: number[] = [];
  const late: string[] = [];
  const never: string[] = [];
  for (const t of targets) {
    const text = FORMS[form](t);
    const o = await firstAndStays(
      text,
      t.id,
      async (q) => (await search.search({ q, limit: 1 })).results[0]?.customerId,
    );
    const m = await firstAndStays(text, t.id, async (q) => mini.search(q)[0]?.id as string | undefined);
    ours.push(o);
    theirs.push(m);
    lims.push(limit.get(t.id)!);
    if (!Number.isFinite(o)) never.push(`${text} (limit ${limit.get(t.id)})`);
    else if (o > limit.get(t.id)! && late.length < 15)
      late.push(`${text} (limit ${limit.get(t.id)}, first after ${o})`);
  }
  const finite = (xs: number[]) => xs.filter(Number.isFinite);
  const stats = (xs: number[]) => ({
    median: quantile(xs, 0.5),
    p90: quantile(xs, 0.9),
    never: xs.filter((x) => !Number.isFinite(x)).length,
  });
  const atLimit = (xs: number[]) => xs.filter((x, i) => x <= lims[i]!).length / xs.length;
  const length = quantile(
    targets.map((t) => FORMS[form](t).length),
    0.5,
  );
  report[form] = {
    targets: targets.length,
    medianLength: length,
    limit: stats(lims),
    ours: { ...stats(ours), noLaterThanLimit: atLimit(ours) },
    minisearch: { ...stats(theirs), noLaterThanLimit: atLimit(theirs) },
    late,
    never,
  };
  console.log(`\n${form} (${targets.length} targets, median text ${length} characters)`);
  console.log(`  limit:      median ${stats(lims).median}, p90 ${stats(lims).p90}`);
  for (const [name, xs] of [
    ["ours", ours],
    ["MiniSearch", theirs],
  ] as const) {
    const s = stats(xs);
    console.log(
      `  ${name.padEnd(11)} median ${s.median}, p90 ${s.p90}, never first ${s.never}, first no later than the limit ${(atLimit(xs) * 100).toFixed(1)} %`,
    );
  }
  console.log("  first later than the limit (ours):");
  for (const l of late) console.log(`    ${l}`);
  console.log("  never first (ours):");
  for (const l of never) console.log(`    ${l}`);
  const cdf = (xs: number[]): Array<[number, number]> => {
    const max = 40;
    return Array.from({ length: max + 1 }, (_, n) => [
      n,
      finite(xs).filter((x) => x <= n).length / xs.length,
    ]);
  };
  curves[`${form}|limit`] = cdf(lims);
  curves[`${form}|ours`] = cdf(ours);
  curves[`${form}|minisearch`] = cdf(theirs);
}
await engine.close();

if (args.json) writeFileSync(args.json, JSON.stringify({ customers, set: args.set, report }, null, 1));
if (args.svg) {
  const colors = { limit: "#888", ours: "#1f6fb2", minisearch: "#d9822b" };
  const charts = forms.map((form) =>
    svgChart({
      title: `Typing “${form}”: share of ${targetCount} targets first (${customers.toLocaleString("en")} customers)`,
      xLabel: "characters typed",
      yLabel: "targets first and staying first",
      xMax: 40,
      yMax: 1,
      xTicks: [0, 5, 10, 15, 20, 25, 30, 35, 40],
      yTicks: [0, 0.25, 0.5, 0.75, 1],
      series: [
        {
          name: "limit (text fits one customer)",
          points: curves[`${form}|limit`]!,
          color: colors.limit,
          dashed: true,
        },
        { name: "our search", points: curves[`${form}|ours`]!, color: colors.ours },
        {
          name: "MiniSearch (prefix, fuzzy 0.2)",
          points: curves[`${form}|minisearch`]!,
          color: colors.minisearch,
        },
      ],
    }),
  );
  // Two charts one above the other in one file.
  const inner = charts.map((c, i) => c.replace("<svg ", `<svg y="${i * 400}" `));
  writeFileSync(
    args.svg,
    `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="800">\n<title>Typing curve: characters typed until the customer meant comes first and stays first</title>\n${inner.join("")}</svg>\n`,
  );
}

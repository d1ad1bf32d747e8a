/**
 * Retrieval benchmark: `node bench/search-engine.ts [--docs 200000] [--engine embedded|opensearch]`.
 * Indexes N synthetic customers (src/demo/generator.ts, projected by toCustomerDoc) into a fresh
 * engine, then times `retrieve` for typical agent queries — name + postcode + house number, a typo'd
 * surname + birth date, a surname prefix + city, caller lookup by phone, policy number — and prints
 * p50/p95/p99 per query type, indexing throughput ("upsert alone": the engine's write time without
 * generating and projecting the documents), memory and (embedded) the restart time. Retrieval only:
 * no scoring, no HTTP. `--engine opensearch` uses OPENSEARCH_URL (an index of its own, dropped after).
 * Current figures: docs/benchmarks.md, "Search engine retrieval".
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generatePortfolio, PORTFOLIO_DATE } from "../src/demo/generator.ts";
import { Rng } from "../src/demo/generator-prng.ts";
import { toCustomerDoc } from "../src/mappings/customer-doc.ts";
import { createOpenSearchEngine } from "../src/search/elastic-engine.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import type { CustomerDoc, RetrievalQuery, SearchEngine } from "../src/search/search-engine.ts";
import { toCustomer } from "../test/quality/portfolio.ts";

const { values } = parseArgs({
  options: {
    docs: { type: "string", default: "200000" },
    engine: { type: "string", default: "embedded" },
    queries: { type: "string", default: "2000" },
  },
});
const N = Number(values.docs);
const QUERIES = Number(values.queries);

function* docs(): Generator<CustomerDoc> {
  let last = "";
  for (const row of generatePortfolio({ customers: N, seed: 42 })) {
    if (row.personId === last) continue;
    last = row.personId;
    const { customer, policies } = toCustomer(row.person);
    yield toCustomerDoc(customer, policies, PORTFOLIO_DATE);
  }
}

const typo = (rng: Rng, w: string) => {
  if (w.length < 4) return w;
  const i = rng.int(1, w.length - 2);
  return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
};

const QUERY_TYPES: Record<string, (d: CustomerDoc, rng: Rng) => RetrievalQuery | undefined> = {
  "name+postcode+number": (d) =>
    d.surnameParts.length === 0 || !d.postcode
      ? undefined
      : {
          should: [
            { field: "surnameParts", values: d.surnameParts, match: "exact" },
            { field: "phonetic", values: d.phonetic.slice(0, 1), match: "exact" },
            { field: "postcode", values: [d.postcode], match: "exact" },
            { field: "houseNumber", values: [d.houseNumber ?? ""], match: "exact" },
          ],
          size: 50,
        },
  "typo surname+birthdate": (d, rng) =>
    d.surnameParts.length === 0 || !d.birthDate
      ? undefined
      : {
          should: [
            { field: "surnameParts", values: [typo(rng, d.surnameParts[0]!)], match: "fuzzy" },
            { field: "firstNames", values: d.firstNames.slice(0, 1), match: "fuzzy" },
            { field: "birthDate", values: [d.birthDate], match: "exact" },
          ],
          size: 50,
        },
  "prefix surname+city": (d) =>
    d.surnameParts.length === 0 || !d.city
      ? undefined
      : {
          should: [{ field: "surnameParts", values: [d.surnameParts[0]!.slice(0, 4)], match: "prefix" }],
          must: [{ field: "city", values: [d.city], match: "exact" }],
          size: 50,
        },
  "caller phone": (d) =>
    d.phones.length === 0
      ? undefined
      : { should: [{ field: "phones", values: [d.phones[0]!], match: "exact" }], size: 10 },
  "policy number": (d) => ({
    should: [{ field: "policyNumbers", values: d.policyNumbers.slice(0, 1), match: "exact" }],
    size: 10,
  }),
};

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const mb = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "kh-bench-search-"));
  const open = async (): Promise<SearchEngine> => {
    const e =
      values.engine === "opensearch"
        ? createOpenSearchEngine(process.env.OPENSEARCH_URL ?? "http://127.0.0.1:9201", {
            prefix: `bench-${randomBytes(3).toString("hex")}-`,
          })
        : new EmbeddedSearchEngine({ dataDir: dir });
    await e.init();
    return e;
  };
  let engine = await open();
  const sample: CustomerDoc[] = [];
  const rng = new Rng(7);
  let batch: CustomerDoc[] = [];
  let count = 0;
  let upsertMs = 0;
  const upsert = async (docs: CustomerDoc[]) => {
    const s = performance.now();
    await engine.upsert(docs);
    upsertMs += performance.now() - s;
  };
  const t0 = performance.now();
  for (const doc of docs()) {
    batch.push(doc);
    if (sample.length < QUERIES) sample.push(doc);
    else if (rng.chance(QUERIES / (count + 1))) sample[rng.int(0, QUERIES - 1)] = doc;
    count++;
    if (batch.length === 1000) {
      await upsert(batch);
      batch = [];
    }
  }
  await upsert(batch);
  await engine.refresh();
  const indexSeconds = (performance.now() - t0) / 1000;
  console.log(
    `engine ${engine.name}: ${count} customers indexed in ${indexSeconds.toFixed(1)} s (${Math.round(count / indexSeconds)}/s, incl. generation); upsert alone ${(upsertMs / 1000).toFixed(1)} s (${Math.round(count / (upsertMs / 1000))}/s)`,
  );
  if (engine instanceof EmbeddedSearchEngine) {
    await engine.close();
    global.gc?.();
    const t1 = performance.now();
    engine = await open();
    console.log(
      `restart: loaded ${await engine.count()} documents and built the indexes in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
    );
  }
  const m = process.memoryUsage();
  console.log(
    `load average while measuring: ${(await import("node:os"))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} on ${(await import("node:os")).availableParallelism()} cores`,
  );
  console.log(
    `memory: rss ${mb(m.rss)}, heap used ${mb(m.heapUsed)}, array buffers ${mb(m.arrayBuffers)}, peak rss ${mb(process.resourceUsage().maxRSS * 1024)}`,
  );

  const all: number[] = [];
  for (const [name, make] of Object.entries(QUERY_TYPES)) {
    const qs = sample.map((d) => make(d, rng)).filter((q): q is RetrievalQuery => q !== undefined);
    for (const q of qs.slice(0, 50)) await engine.retrieve(q); // warm-up
    const times: number[] = [];
    const cpu: number[] = [];
    let candidates = 0;
    for (const q of qs) {
      const s = performance.now();
      const c = process.cpuUsage();
      candidates += (await engine.retrieve(q)).length;
      const used = process.cpuUsage(c);
      times.push(performance.now() - s);
      cpu.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    all.push(...times);
    console.log(
      `${name.padEnd(24)} n=${times.length}  p50 ${pct(times, 50).toFixed(2)} ms  p95 ${pct(times, 95).toFixed(2)} ms  p99 ${pct(times, 99).toFixed(2)} ms  avg candidates ${(candidates / times.length).toFixed(1)}  (CPU p95 ${pct(cpu, 95).toFixed(2)} ms)`,
    );
  }
  all.sort((a, b) => a - b);
  console.log(
    `${"all".padEnd(24)} n=${all.length}  p50 ${pct(all, 50).toFixed(2)} ms  p95 ${pct(all, 95).toFixed(2)} ms  p99 ${pct(all, 99).toFixed(2)} ms`,
  );
  if ("dropAll" in engine) await (engine as { dropAll(): Promise<void> }).dropAll();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();

/**
 * Builds the embedded search database that `search-ab.ts` reads (BENCH_DIR/N/data/search.sqlite)
 * straight from the http bench's portfolio, without a store or HTTP ingest: one search document per
 * generated person. Usage: `BENCH_DIR=… node bench/search-db.ts [customers=1000000]`.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { generatePortfolio, PORTFOLIO_DATE } from "../src/demo/generator.ts";
import { toCustomerDoc } from "../src/mappings/customer-doc.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import type { CustomerDoc } from "../src/search/search-engine.ts";
import { toCustomer } from "../test/quality/portfolio.ts";
import { HTTP_BENCH_PORTFOLIO } from "./http-queries.ts";

const customers = Number(process.argv[2] ?? 1_000_000);
if (!process.env.BENCH_DIR) throw new Error("set BENCH_DIR");
const dir = join(process.env.BENCH_DIR, String(customers), "data");
mkdirSync(dir, { recursive: true });
const engine = new EmbeddedSearchEngine({ dataDir: dir });
await engine.init();
const t = performance.now();
let batch: CustomerDoc[] = [];
for (const row of generatePortfolio({ customers, ...HTTP_BENCH_PORTFOLIO })) {
  const { customer, policies } = toCustomer(row.person);
  batch.push(toCustomerDoc(customer, policies, PORTFOLIO_DATE));
  if (batch.length === 5000) {
    await engine.upsert(batch);
    batch = [];
  }
}
if (batch.length > 0) await engine.upsert(batch);
console.log(
  `${await engine.count()} documents in ${join(dir, "search.sqlite")}, ${((performance.now() - t) / 1000).toFixed(0)} s`,
);
await engine.close();

import { createCustomerSearch } from "../src/search/customer-search-service.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import { portfolioDocBatches } from "../test/quality/portfolio.ts";
import { heldOutDocBatches } from "../test/quality/held-out.ts";
const [n, set, ...pairs] = process.argv.slice(2);
const engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
await engine.init();
const byId = new Map();
for (const b of set === "held-out" ? heldOutDocBatches(Number(n), 9001) : portfolioDocBatches(Number(n), 4242)) { await engine.upsert(b); for (const d of b) byId.set(d.customerId, d); }
const s = createCustomerSearch({ engine });
const show = (d: any) => `${d.view.displayName} [${d.view.firstNames}] ${d.view.address.street} ${d.view.address.houseNumber}${d.view.address.houseNumberAddition ?? ""} ${d.view.address.postcode} ${d.view.address.city} ${d.birthDate}`;
for (let i = 0; i < pairs.length; i += 2) {
  const q = pairs[i]!, exp = pairs[i + 1]!;
  const r = await s.search({ q, limit: 10 });
  console.log(`\n# ${q}  (expected ${exp}: ${byId.get(exp) ? show(byId.get(exp)) : "?"})`);
  for (const x of r.results.slice(0, 5)) console.log(`  ${x.customerId === exp ? "*" : " "} ${x.score} ${x.confidence} ${show(byId.get(x.customerId))} ${x.matches.map((m) => m.field + ":" + m.kind).join(",")}`);
  if (!r.results.some((x) => x.customerId === exp)) console.log("  expected not in top 10");
}
await engine.close();

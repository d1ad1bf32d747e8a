import { createCustomerSearch } from "../src/search/customer-search-service.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import { heldOutDocBatches } from "../test/quality/held-out.ts";
const [n, ...texts] = process.argv.slice(2);
const engine = new EmbeddedSearchEngine({ dataDir: ":memory:" });
await engine.init();
const byId = new Map();
for (const b of heldOutDocBatches(Number(n), 9001)) { await engine.upsert(b); for (const d of b) byId.set(d.customerId, d); }
const s = createCustomerSearch({ engine });
const show = (d: any) => `${d.view.displayName} [${d.view.firstNames}] ${d.view.address.postcode} ${d.view.address.houseNumber}${d.view.address.houseNumberAddition ?? ""} ${d.view.address.city}`;
for (const text of texts) {
  console.log(`\n# ${text}`);
  for (let i = 1; i <= text.length; i++) {
    const q = text.slice(0, i).trim();
    if (!q || text[i - 1] === " ") continue;
    const r = await s.search({ q, limit: 3 });
    console.log(`  ${q.padEnd(30)} ${r.results.slice(0, 2).map((x) => `${x.score} ${x.confidence} ${show(byId.get(x.customerId))}`).join(" | ")}`);
  }
}
await engine.close();

/**
 * NVGA File Polis against CSV, same portfolio: `node bench/nvga-quality.ts [--customers 100000]`.
 * Generates one partner's synthetic portfolio, writes it as a standaard CSV and as an NVGA File Polis
 * (src/demo/generator-nvga.ts), takes each into its own embedded store and engine through the delivery
 * intake, and asks both the same searches (name + birth date + postcode, name + postcode + house number,
 * phone) for every 20th person: recall@1 per query kind, plus the delivery counts and customers made.
 * Figures that do not depend on the machine's load.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type GeneratedRow, generatePortfolio, toCsv } from "../src/demo/generator.ts";
import { toNvgaXml } from "../src/demo/generator-nvga.ts";
import type { DeliveryFormat } from "../src/domain/partner.ts";
import { createIndexer } from "../src/indexer/indexer.ts";
import { createDeliveryIntake } from "../src/ingest/delivery-intake.ts";
import { createPartnerRegistry } from "../src/partners/partner-registry.ts";
import type { SearchInput } from "../src/search/customer-search.ts";
import { createCustomerSearch } from "../src/search/customer-search-service.ts";
import { EmbeddedSearchEngine } from "../src/search/embedded-engine.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";

const { values } = parseArgs({ options: { customers: { type: "string", default: "100000" } } });
const customers = Number(values.customers);
const rows: GeneratedRow[] = [...generatePortfolio({ customers, seed: 77, partners: ["VOLMACHT-A"] })];

type Kind = "name+birthDate+postcode" | "name+postcode+houseNumber" | "phone";
const queries: Array<{ kind: Kind; input: SearchInput; policyNumber: string }> = [];
for (const [i, row] of rows.entries()) {
  const p = row.person;
  if (i % 20 !== 0 || p.kind !== "P") continue;
  const name = [p.tussenvoegsel, p.surname].filter(Boolean).join(" ");
  const policyNumber = row.columns.polisnummer;
  if (p.birthDate)
    queries.push({
      kind: "name+birthDate+postcode",
      input: { name, birthDate: p.birthDate, postcode: p.postcode, limit: 10 },
      policyNumber,
    });
  queries.push({
    kind: "name+postcode+houseNumber",
    input: { name, postcode: p.postcode, houseNumber: String(p.houseNumber), limit: 10 },
    policyNumber,
  });
  const phone = row.columns.telefoon || row.columns.telefoon2;
  if (phone) queries.push({ kind: "phone", input: { phone, limit: 10 }, policyNumber });
}

async function run(format: DeliveryFormat, text: string) {
  const dir = await mkdtemp(join(tmpdir(), `kh-nvga-quality-${format}-`));
  try {
    const store = new SqliteStore({ dataDir: dir });
    await store.init();
    await createPartnerRegistry(store).put("VOLMACHT-A", {
      name: "Volmacht A",
      type: "volmacht",
      phase: "live",
      agreementSignedOn: "2025-01-01",
      holdThresholdPercent: 20,
    });
    const engine = new EmbeddedSearchEngine({ dataDir: join(dir, "search") });
    await engine.init();
    const intake = createDeliveryIntake({
      store,
      indexer: createIndexer({ store, engine }),
      porCodes: ["N013"],
    });
    const started = performance.now();
    const d = await intake.submit({
      partner: "VOLMACHT-A",
      kind: "full",
      format,
      profile: format === "nvga-polis" ? "nvga-polis" : "standaard",
      channel: "upload",
      body: (async function* () {
        for (let i = 0; i < text.length; i += 1 << 20) yield Buffer.from(text.slice(i, i + (1 << 20)));
      })(),
    });
    const done = await intake.whenSettled(d.id);
    const seconds = (performance.now() - started) / 1000;
    const search = createCustomerSearch({ engine });
    const recall: Record<string, { asked: number; top1: number }> = {};
    for (const q of queries) {
      const r = recall[q.kind] ?? { asked: 0, top1: 0 };
      recall[q.kind] = r;
      r.asked++;
      const { results } = await search.search(q.input);
      if (results[0]?.policies.some((p) => p.policyNumber === q.policyNumber)) r.top1++;
    }
    const result = {
      format,
      bytes: Buffer.byteLength(text),
      status: done.status,
      counts: done.counts,
      customers: await store.countCustomers(),
      ingestSeconds: Number(seconds.toFixed(1)),
      recallAt1: Object.fromEntries(
        Object.entries(recall).map(([k, r]) => [
          k,
          `${r.top1}/${r.asked} = ${(r.top1 / r.asked).toFixed(4)}`,
        ]),
      ),
    };
    await engine.close();
    await store.close();
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const csv = [...toCsv(rows)].join("");
console.log(JSON.stringify(await run("csv", csv)));
const nvga = [...toNvgaXml(rows, { referenceDate: "2026-10-31", porCode: "N013" })].join("");
console.log(JSON.stringify(await run("nvga-polis", nvga)));

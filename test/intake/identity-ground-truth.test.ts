import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { csvLine, DEMO_PARTNERS, type GeneratedRow, generatePortfolio } from "../../src/demo/generator.ts";
import { createDeliveryIntake } from "../../src/ingest/delivery-intake.ts";
import { STANDAARD_COLUMNS } from "../../src/ingest/standaard-columns.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { registerPartners } from "../support/partners.ts";
import { RecordingIndexer } from "./fixtures.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

it("resolves a synthetic portfolio against its ground truth: never two people merged, most cross-partner customers found", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kh-truth-"));
  dirs.push(dir);
  const store = new SqliteStore({ dataDir: dir });
  await store.init();
  await registerPartners(store);
  const intake = createDeliveryIntake({ store, indexer: new RecordingIndexer() });
  const rows = [...generatePortfolio({ customers: 3000, seed: 7 })];
  const byPartner = new Map<string, GeneratedRow[]>();
  for (const r of rows) byPartner.set(r.partner, [...(byPartner.get(r.partner) ?? []), r]);
  for (const partner of DEMO_PARTNERS) {
    const text = [
      STANDAARD_COLUMNS.join(";"),
      ...(byPartner.get(partner) ?? []).map((r) => csvLine(r.columns, ";")),
    ].join("\n");
    const d = await intake.submit({
      partner,
      kind: "full",
      format: "csv",
      profile: "standaard",
      channel: "upload",
      body: (async function* () {
        yield new TextEncoder().encode(`${text}\n`);
      })(),
    });
    expect((await intake.whenSettled(d.id)).counts.rejected).toBe(0);
  }
  const personsOfCustomer = new Map<string, Set<string>>();
  const customersOfPerson = new Map<string, Set<string>>();
  for (const r of rows) {
    const [policy] = (await store.findPoliciesByNumber(r.columns.polisnummer)).filter(
      (p) => p.partner === r.partner,
    );
    const cid = policy!.customerId;
    personsOfCustomer.set(cid, (personsOfCustomer.get(cid) ?? new Set()).add(r.personId));
    customersOfPerson.set(r.personId, (customersOfPerson.get(r.personId) ?? new Set()).add(cid));
  }
  const merged = [...personsOfCustomer.values()].filter((s) => s.size > 1);
  for (const m of merged)
    for (const p of m) {
      const r = rows.find((x) => x.personId === p)!;
      console.log(p, r.partner, JSON.stringify(r.columns));
    }
  const falseMerges = merged.length;
  const multiPartner = [...new Set(rows.map((r) => r.personId))].filter(
    (p) => new Set(rows.filter((r) => r.personId === p).map((r) => r.partner)).size > 1,
  );
  const found = multiPartner.filter((p) => customersOfPerson.get(p)!.size === 1).length;
  console.log(
    `identity: ${falseMerges} false merges; ${found}/${multiPartner.length} cross-partner customers resolved to one`,
  );
  expect(falseMerges).toBe(0);
  expect(multiPartner.length).toBeGreaterThan(50);
  expect(found / multiPartner.length).toBeGreaterThan(0.9);
  await store.close();
});

import type { CustomerRecord, Indexer, ReconcileReport } from "../../src/indexer/indexer.ts";
import type { Store } from "../../src/store/store.ts";

/**
 * A recording Indexer: our own port implemented in a few lines, so intake tests can see which
 * customers were handed to the index and when. It is not a stand-in for a search engine (no
 * engine is being imitated); the search suites test the real indexer against real engines.
 */
export class RecordingIndexer implements Indexer {
  readonly indexed = new Set<string>();
  readonly removed = new Set<string>();
  calls = 0;
  /** Runs before each indexCustomers call; a test can make it hang to simulate a crash. */
  beforeIndex: (call: number) => Promise<void> = async () => {};

  async indexCustomers(customerIds: readonly string[]): Promise<void> {
    this.calls++;
    await this.beforeIndex(this.calls);
    for (const id of customerIds) {
      this.indexed.add(id);
      this.removed.delete(id);
    }
  }
  async indexRecords(records: readonly CustomerRecord[]): Promise<void> {
    await this.indexCustomers(records.map((r) => r.customer.customerId));
  }
  async removeCustomers(customerIds: readonly string[]): Promise<void> {
    for (const id of customerIds) {
      this.removed.add(id);
      this.indexed.delete(id);
    }
  }
  async reindexAll(): Promise<void> {}
  async reconcile(): Promise<ReconcileReport> {
    return { storeCount: 0, indexCount: this.indexed.size, sampled: 0, mismatched: [], ok: true };
  }
}

/** The header of the `standaard` CSV profile columns these tests use. */
export const HEADER =
  "polisnummer;relatienummer;voorletters;voornamen;tussenvoegsel;achternaam;geboortedatum;straat;huisnummer;postcode;woonplaats;telefoon;product;dekkingen;ingangsdatum;mutatiedatum;status";

/** One CSV line of a person's policy. */
export function line(o: {
  polis: string;
  relatie?: string;
  voorletters?: string;
  voornamen?: string;
  tussenvoegsel?: string;
  achternaam?: string;
  geboortedatum?: string;
  huisnummer?: string;
  postcode?: string;
  telefoon?: string;
  dekkingen?: string;
  ingang?: string;
  mutatie?: string;
}): string {
  return [
    o.polis,
    o.relatie ?? "",
    o.voorletters ?? "J.",
    o.voornamen ?? "",
    o.tussenvoegsel ?? "van den",
    o.achternaam ?? "Berg",
    o.geboortedatum ?? "01-05-1980",
    "Dorpsstraat",
    o.huisnummer ?? "12",
    o.postcode ?? "3511 AB",
    "Utrecht",
    o.telefoon ?? "",
    "RB-PARTICULIER",
    o.dekkingen ?? "CONS,WON",
    o.ingang ?? "01-01-2024",
    o.mutatie ?? "",
    "",
  ].join(";");
}

/** A CSV file's bytes as a stream. */
export async function* csv(...lines: string[]): AsyncIterable<Uint8Array> {
  yield new TextEncoder().encode(`${[HEADER, ...lines].join("\n")}\n`);
}

/** Everything a user could see of the records: customers with their policies' histories. */
export async function snapshot(store: Store): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const batch of store.iterateCustomers(500)) {
    for (const c of batch) {
      const policies = await store.policiesOfCustomers([c.customerId]);
      out.push({
        name: `${c.party.initials} ${c.party.surname} ${c.party.birthDate}`,
        refs: c.partnerRefs.map((r) => r.partner).sort(),
        policies: policies
          .map(
            (p) =>
              `${p.partner}/${p.policyNumber}: ${p.versions.map((v) => `${v.validFrom}:${v.modules.join("+")}:${v.status}`).join(" ")}`,
          )
          .sort(),
      });
    }
  }
  return out.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

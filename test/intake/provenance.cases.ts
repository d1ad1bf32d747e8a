import { afterEach, expect, it } from "vitest";
import { sourcesOf } from "../../src/domain/customer-sources.ts";
import type { Customer } from "../../src/domain/model.ts";
import { createDeliveryIntake } from "../../src/ingest/delivery-intake.ts";
import { purgeExpired } from "../../src/retention/purge.ts";
import type { Store } from "../../src/store/store.ts";
import { registerPartners } from "../support/partners.ts";
import { RecordingIndexer } from "./fixtures.ts";

const HEADER =
  "polisnummer;voorletters;voornamen;tussenvoegsel;achternaam;geboortedatum;huisnummer;postcode;telefoon;email;product;dekkingen;ingangsdatum";

/** A.M. de Vries as a partner delivers her: her keys always, the rest as given. */
function deVries(o: { polis: string; voornamen?: string; telefoon?: string; email?: string }): string {
  return [
    o.polis,
    "A.M.",
    o.voornamen ?? "",
    "de",
    "Vries",
    "01-05-1980",
    "12",
    "1234 AB",
    o.telefoon ?? "",
    o.email ?? "",
    "RB-PARTICULIER",
    "CONS,WON",
    "01-01-2024",
  ].join(";");
}

/** Somebody else, so that a full delivery is not empty. */
const OTHER = "B-900;P.;;;Bakker;03-03-1970;8;9999 ZZ;;;RB-PARTICULIER;CONS;01-01-2024";

async function* file(...lines: string[]): AsyncIterable<Uint8Array> {
  yield new TextEncoder().encode(`${[HEADER, ...lines].join("\n")}\n`);
}

/** What the service centre sees of her, and who says what. */
function seen(c: Customer | null) {
  if (!c) return null;
  return {
    firstNames: c.party.firstNames,
    phones: c.phones.map((p) => p.e164),
    email: c.email,
    partners: c.partnerRefs.map((r) => r.partner).sort(),
    says: Object.fromEntries(
      sourcesOf(c).map((s) => [s.partner, `${s.phones.map((p) => p.e164).join(",")} ${s.email ?? "-"}`]),
    ),
  };
}

/** Per-source provenance through the delivery intake, run over every store adapter. */
export function runProvenanceCases({ newStore }: { newStore: () => Promise<Store> }): void {
  const open: Store[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  const setUp = async () => {
    const store = await newStore();
    await store.init();
    open.push(store);
    // Full deliveries here end all of a partner's running policies: not held for an admin.
    await registerPartners(store, undefined, { holdThresholdPercent: 100 });
    const indexer = new RecordingIndexer();
    const intake = createDeliveryIntake({ store, indexer });
    const deliver = async (
      partner: string,
      kind: "full" | "mutation",
      receivedAt: string,
      ...rows: string[]
    ) => {
      const d = await intake.submit({
        partner,
        kind,
        format: "csv",
        profile: "standaard",
        channel: "upload",
        receivedAt,
        body: file(...rows),
      });
      const done = await intake.whenSettled(d.id);
      expect(done.counts.rejected).toBe(0);
      return done;
    };
    const her = async () => {
      const [policy] = await store.findPoliciesByNumber("VA-1");
      return store.getCustomer(policy!.customerId);
    };
    return { store, indexer, deliver, her };
  };

  const A_SAYS = deVries({
    polis: "VA-1",
    voornamen: "Anna Maria",
    telefoon: "06-12345678",
    email: "anna.devries@example.nl",
  });
  const B_SAYS = deVries({ polis: "TB-1", telefoon: "06-87654321", email: "a.m.devries@example.com" });

  it("another partner's mutation with her keys adds its own source and replaces nothing of the first's", async () => {
    const { store, deliver, her } = await setUp();
    await deliver("VOLMACHT-A", "full", "2026-01-05T09:00:00.000Z", A_SAYS);
    await deliver("TUSSEN-B", "mutation", "2026-01-10T09:00:00.000Z", B_SAYS);

    expect(await store.countCustomers()).toBe(1);
    expect(seen(await her())).toEqual({
      firstNames: "Anna Maria",
      phones: ["+31687654321", "+31612345678"],
      email: "a.m.devries@example.com",
      partners: ["TUSSEN-B", "VOLMACHT-A"],
      says: {
        "VOLMACHT-A": "+31612345678 anna.devries@example.nl",
        "TUSSEN-B": "+31687654321 a.m.devries@example.com",
      },
    });
    const [b] = await store.findPoliciesByNumber("TB-1");
    expect(b?.customerId).toBe((await her())!.customerId);
  });

  it("the same partner's newer delivery replaces its own older phone, and leaves the other partner's", async () => {
    const { deliver, her } = await setUp();
    await deliver("VOLMACHT-A", "full", "2026-01-05T09:00:00.000Z", A_SAYS);
    await deliver("TUSSEN-B", "mutation", "2026-01-10T09:00:00.000Z", B_SAYS);
    await deliver(
      "VOLMACHT-A",
      "mutation",
      "2026-02-01T09:00:00.000Z",
      deVries({
        polis: "VA-1",
        voornamen: "Anna Maria",
        telefoon: "06-11112222",
        email: "anna.devries@example.nl",
      }),
    );
    expect(seen(await her())).toMatchObject({
      phones: ["+31611112222", "+31687654321"],
      email: "anna.devries@example.nl",
      says: {
        "VOLMACHT-A": "+31611112222 anna.devries@example.nl",
        "TUSSEN-B": "+31687654321 a.m.devries@example.com",
      },
    });
  });

  it("a full delivery of the second partner ends only its own policies and leaves the first's source", async () => {
    const { store, deliver, her } = await setUp();
    await deliver("VOLMACHT-A", "full", "2026-01-05T09:00:00.000Z", A_SAYS);
    await deliver("TUSSEN-B", "mutation", "2026-01-10T09:00:00.000Z", B_SAYS);
    await deliver("TUSSEN-B", "full", "2026-02-01T09:00:00.000Z", OTHER);

    const [a] = await store.findPoliciesByNumber("VA-1");
    const [b] = await store.findPoliciesByNumber("TB-1");
    expect(a?.versions.map((v) => v.status)).toEqual(["actief"]);
    expect(b?.versions.at(-1)?.endDate).toBe("2026-02-01");
    expect(seen(await her())?.says["VOLMACHT-A"]).toBe("+31612345678 anna.devries@example.nl");
  });

  it("purging one partner's old delivery removes only what it said; the other partner's stays", async () => {
    const { store, indexer, deliver, her } = await setUp();
    await deliver("TUSSEN-B", "mutation", "2023-06-01T09:00:00.000Z", B_SAYS);
    await deliver("VOLMACHT-A", "full", "2025-06-01T09:00:00.000Z", A_SAYS);
    const id = (await her())!.customerId;

    const result = await purgeExpired({
      store,
      indexer,
      retentionMonths: 24,
      now: new Date("2026-01-01T00:00:00Z"),
    });
    expect(result).toMatchObject({ deliveries: 1, customersDeleted: 0, customersUpdated: 1 });
    expect(seen(await store.getCustomer(id))).toEqual({
      firstNames: "Anna Maria",
      phones: ["+31612345678"],
      email: "anna.devries@example.nl",
      partners: ["VOLMACHT-A"],
      says: { "VOLMACHT-A": "+31612345678 anna.devries@example.nl" },
    });
    expect(indexer.indexed.has(id)).toBe(true);
  });

  it("a customer whose last source is purged is deleted, with her policies", async () => {
    const { store, indexer, deliver } = await setUp();
    await deliver("TUSSEN-B", "mutation", "2023-06-01T09:00:00.000Z", B_SAYS);
    const [b] = await store.findPoliciesByNumber("TB-1");
    await purgeExpired({ store, indexer, retentionMonths: 24, now: new Date("2026-01-01T00:00:00Z") });
    expect(await store.getCustomer(b!.customerId)).toBeNull();
    expect(await store.findPoliciesByNumber("TB-1")).toEqual([]);
    expect(indexer.removed.has(b!.customerId)).toBe(true);
  });
}

/**
 * A.M. de Vries as a store of the earlier layout holds her: one record, merged from what two partners
 * delivered (TUSSEN-B's last, which had dropped her first names there), without sources.
 */
export const EARLIER_LAYOUT: Customer = {
  customerId: "c-old",
  party: {
    kind: "P",
    initials: "A.M.",
    firstNames: "Anna Maria",
    tussenvoegsel: "de",
    surname: "Vries",
    birthDate: "1980-05-01",
  },
  address: { houseNumber: 12, postcode: "1234 AB", country: "NL" },
  phones: [{ raw: "06-12345678", e164: "+31612345678" }],
  email: "anna.devries@example.nl",
  partnerRefs: [{ partner: "VOLMACHT-A" }, { partner: "TUSSEN-B" }],
  matchKeys: ["P|vries|a|1980-05-01|1234ab|12"],
  deliveryIds: ["old-a", "old-b"],
  updatedAt: "2025-12-01T09:00:00.000Z",
};

/**
 * On a store holding EARLIER_LAYOUT: her record reads as each partner's source, and TUSSEN-B's next
 * delivery replaces only its own part of it — her number from the merged record stays hers.
 */
export async function expectEarlierLayoutRead(store: Store): Promise<void> {
  await registerPartners(store);
  const intake = createDeliveryIntake({ store, indexer: new RecordingIndexer() });
  const d = await intake.submit({
    partner: "TUSSEN-B",
    kind: "mutation",
    format: "csv",
    profile: "standaard",
    channel: "upload",
    receivedAt: "2026-01-10T09:00:00.000Z",
    body: file(deVries({ polis: "TB-1", telefoon: "06-87654321", email: "a.m.devries@example.com" })),
  });
  expect((await intake.whenSettled(d.id)).counts.accepted).toBe(1);
  const [policy] = await store.findPoliciesByNumber("TB-1");
  expect(policy?.customerId).toBe("c-old");
  const c = await store.getCustomer("c-old");
  expect(seen(c)).toEqual({
    firstNames: "Anna Maria",
    phones: ["+31687654321", "+31612345678"],
    email: "a.m.devries@example.com",
    partners: ["TUSSEN-B", "VOLMACHT-A"],
    says: {
      "TUSSEN-B": "+31687654321 a.m.devries@example.com",
      "VOLMACHT-A": "+31612345678 anna.devries@example.nl",
    },
  });
  expect(c?.sources?.map((s) => `${s.partner}${s.merged ? " (merged)" : ""}`)).toEqual([
    "TUSSEN-B",
    "VOLMACHT-A (merged)",
  ]);
  expect(c?.deliveryIds).toEqual(["old-a", "old-b", d.id]);
}

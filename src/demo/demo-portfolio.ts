import type { PartnerInput } from "../domain/partner.ts";
import type { StandaardColumn } from "../ingest/standaard-columns.ts";
import { csvLine, DEMO_PARTNERS, generatePortfolio, toCsv } from "./generator.ts";

/** Every demo policy and relatienummer starts with this, so an agent sees at once it is demo data. */
export const DEMO_MARK = "DEMO-";

type Columns = Partial<Record<StandaardColumn, string>>;

/** Named showcase customers: each exercises one coverage rule or the cross-partner match. */
export const DEMO_SHOWCASE: ReadonlyArray<{ title: string; partner: string; columns: Columns }> = [
  {
    title: "running policy with most modules (search by 06-12345678 or 3511 AB 12)",
    partner: "VOLMACHT-A",
    columns: {
      polisnummer: "DEMO-VA-0001",
      relatienummer: "DEMO-R-0001",
      voorletters: "A.M.",
      voornamen: "Anna Maria",
      tussenvoegsel: "de",
      achternaam: "Vries",
      geboortedatum: "14-03-1985",
      geslacht: "V",
      straat: "Kerkstraat",
      huisnummer: "12",
      postcode: "3511 AB",
      woonplaats: "Utrecht",
      telefoon: "06-12345678",
      email: "anna.devries@demo.example",
      product: "RB-PARTICULIER",
      dekkingen: "CONS,WON,ARB,VERK,FAM",
      ingangsdatum: "01-03-2021",
      voorwaarden: "RBP-2022",
      gezin: "J",
    },
  },
  {
    title: "ended policy (geroyeerd per 30-06-2025)",
    partner: "TUSSEN-B",
    columns: {
      polisnummer: "DEMO-TB-0002",
      relatienummer: "DEMO-K-0002",
      voorletters: "P.",
      achternaam: "Bakker",
      geboortedatum: "1970-07-22",
      geslacht: "M",
      straat: "Stationsweg",
      huisnummer: "4a",
      postcode: "9711AC",
      woonplaats: "Groningen",
      telefoon: "050-3123456",
      product: "RB-PARTICULIER",
      dekkingen: "CONS|VERK",
      ingangsdatum: "2019-01-01",
      einddatum: "2025-06-30",
      status: "geroyeerd",
      voorwaarden: "RBP-2022",
      gezin: "N",
    },
  },
  {
    title: "new policy in its waiting period (arbeid 3 months, familie 12 months from 01-10-2026)",
    partner: "MULTI-C",
    columns: {
      polisnummer: "DEMO-MC-0003",
      relatienummer: "DEMO-0003",
      voorletters: "F.",
      voornamen: "Fatima",
      achternaam: "El Amrani",
      geboortedatum: "19920517",
      geslacht: "V",
      straat: "Piet Heinstraat",
      huisnummer: "88",
      toevoeging: "2",
      postcode: "2518 CK",
      woonplaats: "'s-Gravenhage",
      telefoon: "0687654321",
      product: "RB-PARTICULIER",
      dekkingen: "CONS,ARB,FAM",
      ingangsdatum: "20261001",
      voorwaarden: "RBP-2025",
      gezin: "N",
    },
  },
  {
    title: "wonen insured but building-works disputes excluded by clause CL-BOUW",
    partner: "VOLMACHT-A",
    columns: {
      polisnummer: "DEMO-VA-0004",
      relatienummer: "DEMO-R-0004",
      voorletters: "C.",
      voornamen: "Cornelis",
      tussenvoegsel: "van den",
      achternaam: "Berg",
      geboortedatum: "02-11-1958",
      geslacht: "M",
      straat: "Molenweg",
      huisnummer: "7",
      postcode: "5611 EZ",
      woonplaats: "Eindhoven",
      telefoon: "040-2445566",
      product: "RB-PARTICULIER",
      dekkingen: "CONS,WON,VERK",
      ingangsdatum: "01-01-2018",
      voorwaarden: "RBP-2022",
      clausules: "CL-BOUW",
      eigen_risico: "150",
      gezin: "J",
    },
  },
  {
    title: "one customer insured through two partners (first names and initials, postcode spacing differ)",
    partner: "VOLMACHT-A",
    columns: {
      polisnummer: "DEMO-VA-0005",
      relatienummer: "DEMO-R-0005",
      voorletters: "Z.J.",
      voornamen: "Zoë Johanna",
      tussenvoegsel: "van der",
      achternaam: "Meer",
      geboortedatum: "09-09-1990",
      geslacht: "V",
      straat: "Herengracht",
      huisnummer: "301",
      postcode: "1016 AV",
      woonplaats: "Amsterdam",
      telefoon: "06-24681357",
      email: "zoe.vandermeer@demo.example",
      product: "RB-PARTICULIER",
      dekkingen: "CONS,WON",
      ingangsdatum: "01-04-2022",
      voorwaarden: "RBP-2022",
      gezin: "N",
    },
  },
  {
    title: "the same customer at the second partner",
    partner: "TUSSEN-B",
    columns: {
      polisnummer: "DEMO-TB-0006",
      relatienummer: "DEMO-K-0006",
      voorletters: "Z.J.",
      achternaam: "Meer, van der",
      geboortedatum: "1990-09-09",
      straat: "Herengracht",
      huisnummer: "301",
      postcode: "1016AV",
      woonplaats: "Amsterdam",
      telefoon: "+31 6 24681357",
      product: "RB-PARTICULIER",
      dekkingen: "VERK|ARB",
      ingangsdatum: "2023-07-01",
      voorwaarden: "RBP-2022",
      gezin: "N",
    },
  },
  {
    title: "company (soort Z) whose debt-collection disputes are excluded by CL-INCASSO",
    partner: "MULTI-C",
    columns: {
      polisnummer: "DEMO-MC-0007",
      relatienummer: "DEMO-0007",
      soort: "Z",
      bedrijfsnaam: "Bakkerij Öztürk B.V.",
      kvk: "12345678",
      straat: "Markt",
      huisnummer: "3",
      postcode: "3011 HE",
      woonplaats: "Rotterdam",
      telefoon: "010-4123456",
      email: "info@bakkerij-ozturk.demo.example",
      product: "RB-ZAKELIJK",
      dekkingen: "ONDN,ARBZ",
      ingangsdatum: "20230101",
      voorwaarden: "RBZ-2023",
      clausules: "CL-INCASSO",
      gezin: "N",
    },
  },
];

/** Number of generated customers in the demo portfolio (besides the showcase). */
export const DEMO_CUSTOMERS = 300;
/** Seed of the demo portfolio: the demo is the same on every machine. */
export const DEMO_SEED = 20261125;

/**
 * The clearly marked demo portfolio for `npm start` on an empty store: one `standaard` CSV per demo
 * partner, with every policy number and relatienummer prefixed `DEMO-` and e-mail on `demo.example`.
 */
export function demoDeliveries(): Array<{ partner: string; csv: string }> {
  const lines = new Map<string, string[]>(DEMO_PARTNERS.map((p) => [p, []]));
  for (const row of generatePortfolio({ customers: DEMO_CUSTOMERS, seed: DEMO_SEED })) {
    const columns = { ...row.columns };
    columns.polisnummer = `${DEMO_MARK}${columns.polisnummer}`;
    columns.relatienummer = `${DEMO_MARK}${columns.relatienummer}`;
    if (columns.email) columns.email = columns.email.replace(/@.*$/, "@demo.example");
    lines.get(row.partner)!.push(csvLine(columns, ";"));
  }
  for (const showcase of DEMO_SHOWCASE) lines.get(showcase.partner)!.push(csvLine(showcase.columns, ";"));
  const header = [...toCsv([])][0]!;
  return DEMO_PARTNERS.map((partner) => ({ partner, csv: `${header}${lines.get(partner)!.join("\n")}\n` }));
}

/** The demo partners as registered: each with a signed supplementary VRA agreement, live. */
export const DEMO_PARTNER_RECORDS: ReadonlyArray<{ id: string; input: PartnerInput }> = [
  {
    id: "VOLMACHT-A",
    input: {
      name: "Volmacht A (demo)",
      type: "volmacht",
      phase: "live",
      agreementSignedOn: "2025-01-15",
      formats: ["csv", "nvga-polis"],
      holdThresholdPercent: 20,
    },
  },
  {
    id: "TUSSEN-B",
    input: {
      name: "Tussenpersoon B (demo)",
      type: "intermediair",
      phase: "live",
      agreementSignedOn: "2025-02-01",
      formats: ["csv"],
      holdThresholdPercent: 20,
    },
  },
  {
    id: "MULTI-C",
    input: {
      name: "Verzekeraar C (demo)",
      type: "verzekeraar",
      phase: "pilot",
      agreementSignedOn: "2025-03-01",
      formats: ["csv"],
      holdThresholdPercent: 20,
    },
  },
];

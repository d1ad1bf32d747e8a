import { registerPartners } from "../../support/partners.ts";
import type { Harness } from "./harness.ts";

/** Registers the test partners (live, VRA agreement signed) in the harness's store. */
export function registerTestPartners(h: Harness): Promise<void> {
  return registerPartners(h.system.services.store);
}

/** A small portfolio of partner VOLMACHT-A in the `standaard` CSV profile. */
export const PORTFOLIO_A = [
  "polisnummer;relatienummer;voorletters;voornamen;tussenvoegsel;achternaam;geboortedatum;straat;huisnummer;postcode;woonplaats;telefoon;email;product;dekkingen;ingangsdatum;voorwaarden",
  "VA-1001;R1;J.;Jan;van der;Berg;12-03-1975;Kerkstraat;12;1234 AB;Amsterdam;06-12345678;jan.vdberg@example.nl;RB-PARTICULIER;CONS,WON,ARB;01-01-2023;RBP-2022",
  "VA-1002;R2;M.;Maria;;Jansen;1980-07-21;Dorpsweg;3;5678 CD;Utrecht;020-1234567;;RB-PARTICULIER;CONS,VERK;2024-02-01;RBP-2022",
  "VA-1003;R3;P.;Pieter;de;Vries;01-01-1960;Laan;7;9999 ZZ;Groningen;;;RB-PARTICULIER;FAM;2025-03-01;RBP-2025",
].join("\n");

/** The searched values that must never appear in an audit record. */
export const SEARCHED = { name: "van der Berg", birthDate: "12-03-1975", postcode: "1234AB" };

/** Loads the demo catalogue and portfolio A through the API (admin + ingest), waits until searchable. */
export async function loadPortfolio(h: Harness): Promise<{ deliveryId: string }> {
  const { DEMO_CATALOGUE } = await import("../../../src/demo/catalogue.ts");
  const admin = await h.token("admin", { sub: "admin-1" });
  for (const p of DEMO_CATALOGUE) {
    const res = await h.call("PUT", `/v1/products/${p.code}`, { token: admin, json: p });
    if (res.status !== 200) throw new Error(`PUT product ${p.code}: ${res.status} ${await res.text()}`);
  }
  if (!(await h.system.services.store.partners.get("VOLMACHT-A"))) await registerTestPartners(h);
  const ingest = await h.token("ingest", { sub: "uploader-a", partner: "VOLMACHT-A" });
  const res = await h.call("POST", "/v1/deliveries?partner=VOLMACHT-A&kind=full", {
    token: ingest,
    body: PORTFOLIO_A,
    headers: { "content-type": "text/csv" },
  });
  if (res.status !== 202) throw new Error(`POST delivery: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const settled = await h.system.services.intake.whenSettled(id);
  if (settled.status !== "completed") throw new Error(`delivery ${settled.status}: ${settled.failure}`);
  return { deliveryId: id };
}

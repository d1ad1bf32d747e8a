import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The `standaard` header the privacy tests deliver with. */
export const HEADER =
  "polisnummer;relatienummer;voorletters;voornamen;tussenvoegsel;achternaam;geboortedatum;straat;huisnummer;postcode;woonplaats;telefoon;email;product;dekkingen;ingangsdatum";

/**
 * A person whose every value is rare enough to search files for: delivered once, long ago, by
 * VOLMACHT-A, on two policies (name, birth date, the address she had then, phone, e-mail).
 */
export const PERSON_ROWS = [
  "PV-9001;RQ1;W.;Wendelmoet;;Quirijnsdochter;17-04-1961;Zonnewijzerstraat;87;9741 XQ;Wirdumerdijk;06-91827364;w.quirijnsdochter@example.nl;RB-PARTICULIER;CONS,WON;01-01-2021",
  "PV-9002;RQ1;W.;Wendelmoet;;Quirijnsdochter;17-04-1961;Zonnewijzerstraat;87;9741 XQ;Wirdumerdijk;06-91827364;w.quirijnsdochter@example.nl;RB-PARTICULIER;VERK;01-06-2021",
];

/** Others in the same old delivery; Jansen is delivered again later (by VOLMACHT-B) and lives on. */
export const OTHERS_OLD = [
  "PV-9003;RJ1;M.;Maria;;Jansen;21-07-1980;Dorpsweg;3;5678 CD;Utrecht;020-1234567;;RB-PARTICULIER;CONS;01-02-2021",
];
export const NEWER_ROWS = [
  "PB-1001;BJ1;M.;Maria;;Jansen;21-07-1980;Dorpsweg;3;5678 CD;Utrecht;020-1234567;;RB-PARTICULIER;CONS;01-02-2024",
  "PB-1002;BV1;P.;Pieter;de;Vries;01-01-1960;Laan;7;9999 ZZ;Groningen;;;RB-PARTICULIER;FAM;01-03-2024",
];

/**
 * The person's values as delivered and in every form the store and the search index keep them:
 * folded (lower case), upper case, the birth date in each delivered and stored notation, the postcode
 * with and without its space.
 */
export const PERSON_TRACES = [
  "Quirijnsdochter",
  "quirijnsdochter",
  "QUIRIJNSDOCHTER",
  "Wendelmoet",
  "wendelmoet",
  "1961-04-17",
  "17-04-1961",
  "19610417",
  "Zonnewijzerstraat",
  "zonnewijzerstraat",
  "9741 XQ",
  "9741XQ",
  "9741xq",
  "9741 xq",
  "Wirdumerdijk",
  "wirdumerdijk",
  "91827364",
  "w.quirijnsdochter@example.nl",
];

/** Every file under `dir` (recursively) holding one of `needles` as bytes: `file: needle` pairs. */
export async function tracesIn(dir: string, needles: readonly string[] = PERSON_TRACES): Promise<string[]> {
  const found: string[] = [];
  const patterns = needles.map((n) => [n, Buffer.from(n, "utf8")] as const);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path).catch(() => undefined);
    if (!bytes) continue;
    for (const [needle, pattern] of patterns)
      if (bytes.includes(pattern)) found.push(`${path.slice(dir.length + 1)}: ${needle}`);
  }
  return found;
}

/** Months before now, as an ISO instant (a backfilled receivedAt). */
export function monthsAgo(months: number, now = new Date()): string {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString();
}

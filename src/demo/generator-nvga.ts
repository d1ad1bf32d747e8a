import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAmount } from "../domain/normalise/amount.ts";
import { parseDutchDate } from "../domain/normalise/date.ts";
import { type NvgaProfile, parseNvgaProfile } from "../ingest/nvga-profile.ts";
import type { StandaardColumn } from "../ingest/standaard-columns.ts";
import type { GeneratedRow } from "./generator.ts";

/** The repository's default NVGA profile: the generator writes the labels it reads. */
export function defaultNvgaProfile(): NvgaProfile {
  const path = fileURLToPath(new URL("../../profiles/nvga-polis.json", import.meta.url));
  return parseNvgaProfile(JSON.parse(readFileSync(path, "utf8")), path);
}

/** What the file's header says: its reference date and the insurer it is for. */
export interface NvgaFileOptions {
  /** `AL_ADATMSG`, yyyy-mm-dd: the last day of the month the snapshot describes. */
  referenceDate: string;
  /** `VL_MYAAND`: the insurer's POR code. */
  porCode: string;
  /** The volmacht's name (`VE_ANAAM`). */
  sender?: string;
  /** The profile whose labels are written (default: `profiles/nvga-polis.json`). */
  profile?: NvgaProfile;
}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const escapeXml = (s: string) => s.replace(/[&<>]/g, (c) => XML_ESCAPES[c]!);
const DATE_COLUMNS = new Set<StandaardColumn>(["geboortedatum", "ingangsdatum", "einddatum", "mutatiedatum"]);
const afd = (iso: string) => iso.replaceAll("-", "");

/**
 * Writes rows as an NVGA File Polis (SIVI AFD 1.0 XML) in the labels of an NVGA profile: the same
 * portfolio the CSV generator writes, one `PP` with its `VP` and one coverage entity per module.
 * Dates become `jjjjmmdd`, amounts get a decimal point, a company (soort Z) is a `VP_GESLACH` R.
 */
export function* toNvgaXml(rows: Iterable<GeneratedRow>, options: NvgaFileOptions): Generator<string> {
  const profile = options.profile ?? defaultNvgaProfile();
  const labelOf = new Map<StandaardColumn, string>();
  for (const [label, column] of Object.entries(profile.labels) as Array<[string, StandaardColumn]>)
    if (!labelOf.has(column)) labelOf.set(column, label);
  const [coverageEntity, coverageLabels] = Object.entries(profile.coverage)[0] ?? ["XD", ["XD_CODE"]];
  const coverageLabel = coverageLabels[0]!;
  const company = profile.companyGenderCodes[0] ?? "R";
  const P = profile.policyEntity;
  const V = profile.holderEntity;
  const branche = profile.branche
    ? `<${profile.branche.label}>${profile.branche.include[0]}</${profile.branche.label}>`
    : "";
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<NVGAFilePolis>\n';
  yield `<AL><AL_ENTITEI>AL</AL_ENTITEI><${profile.referenceDateLabel}>${afd(options.referenceDate)}</${profile.referenceDateLabel}><AL_INCLGP>J</AL_INCLGP></AL>\n`;
  yield `<VE><VE_ENTITEI>VE</VE_ENTITEI><VE_ANAAM>${escapeXml(options.sender ?? "Volmacht")}</VE_ANAAM></VE>\n`;
  yield `<VL><VL_ENTITEI>VL</VL_ENTITEI><${profile.recipient.label}>${escapeXml(options.porCode)}</${profile.recipient.label}></VL>\n`;
  for (const row of rows) {
    const c = row.columns;
    const label = (column: StandaardColumn, value: string | undefined): string => {
      const name = labelOf.get(column);
      if (!name || value === undefined || value.trim() === "") return "";
      let v = value.trim();
      if (DATE_COLUMNS.has(column)) {
        const iso = parseDutchDate(v);
        if (iso) v = afd(iso);
      }
      if (column === "eigen_risico") {
        const amount = parseAmount(v);
        if (amount !== null) v = amount.toFixed(2);
      }
      return `<${name}>${escapeXml(v)}</${name}>`;
    };
    const isCompany = c.soort?.trim().toUpperCase() === "Z";
    const policy = [
      `<${P}_ENTITEI>${P}</${P}_ENTITEI>`,
      label("polisnummer", c.polisnummer),
      branche,
      label("product", c.product),
      label("ingangsdatum", c.ingangsdatum),
      label("einddatum", c.einddatum),
      label("mutatiedatum", c.mutatiedatum),
      label("status", c.status),
      label("voorwaarden", c.voorwaarden),
      label("clausules", c.clausules),
      label("eigen_risico", c.eigen_risico),
      label("gezin", c.gezin),
    ].join("");
    const gender = c.geslacht?.trim().toUpperCase();
    const holder = [
      `<${V}_ENTITEI>${V}</${V}_ENTITEI>`,
      label("relatienummer", c.relatienummer),
      ...(isCompany
        ? [label("achternaam", c.bedrijfsnaam), label("geslacht", company), label("kvk", c.kvk)]
        : [
            label("achternaam", c.achternaam),
            label("tussenvoegsel", c.tussenvoegsel),
            label("voorletters", c.voorletters),
            label("voornamen", c.voornamen),
            label("geslacht", gender === "M" || gender === "V" ? gender : undefined),
            label("geboortedatum", c.geboortedatum),
          ]),
      label("straat", c.straat),
      label("huisnummer", c.huisnummer),
      label("toevoeging", c.toevoeging),
      label("postcode", c.postcode),
      label("woonplaats", c.woonplaats),
      label("land", c.land),
      label("telefoon", c.telefoon),
      label("telefoon2", c.telefoon2),
      label("email", c.email),
    ].join("");
    const coverages = (c.dekkingen ?? "")
      .split(/[,|]/)
      .map((m) => m.trim())
      .filter(Boolean)
      .map(
        (m) =>
          `<${coverageEntity}><${coverageEntity}_ENTITEI>${coverageEntity}</${coverageEntity}_ENTITEI><${coverageLabel}>${escapeXml(m)}</${coverageLabel}></${coverageEntity}>`,
      )
      .join("");
    yield `<${P}>${policy}<${V}>${holder}</${V}>${coverages}</${P}>\n`;
  }
  yield "</NVGAFilePolis>\n";
}

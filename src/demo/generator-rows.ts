import type { StandaardColumn } from "../ingest/standaard-columns.ts";
import type { GeneratedPerson, GeneratedPolicy } from "./generator-people.ts";
import type { Rng } from "./generator-prng.ts";

/** The day the synthetic portfolio is "as of": no start date lies after it. */
export const PORTFOLIO_DATE = "2026-11-01";

/** Issues policy and relatienummers per partner: unique, stable for a seed, partner-styled. */
export class NumberIssuer {
  private readonly counters = new Map<string, number>();
  /** The next policy number and relatienummer at a partner (`VA…`, `TB-…`, `MC…`). */
  next(partner: string, partnerIndex: number): { policyNumber: string; partnerCustomerNumber: string } {
    const n = (this.counters.get(partner) ?? 0) + 1;
    this.counters.set(partner, n);
    // An odd multiplier coprime with 10^7 spreads numbers without ever repeating one.
    const scrambled = String((n * 7919 + 1_234_567) % 10_000_000).padStart(7, "0");
    const relatie = String((n * 3571 + 7_654_321) % 10_000_000).padStart(7, "0");
    switch (partnerIndex % 3) {
      case 0:
        return { policyNumber: `VA${scrambled}`, partnerCustomerNumber: `R${relatie}` };
      case 1:
        return {
          policyNumber: `TB-${scrambled.slice(0, 5)}-${scrambled.slice(5)}`,
          partnerCustomerNumber: `K-${relatie}`,
        };
      default:
        return { policyNumber: `MC${scrambled}0`, partnerCustomerNumber: `${relatie}` };
    }
  }
}

/** Draws the policy terms a customer has at one partner. */
export function makePolicy(
  rng: Rng,
  person: GeneratedPerson,
  partner: string,
  numbers: { policyNumber: string; partnerCustomerNumber: string },
  householdSize: number,
): GeneratedPolicy {
  const business = person.kind === "Z";
  const adultFrom = person.birthDate ? Number(person.birthDate.slice(0, 4)) + 18 : 2010;
  const startYear = Math.max(
    business ? 2023 : 2012,
    adultFrom,
    rng.chance(0.5) ? rng.int(2012, 2026) : rng.int(2021, 2026),
  );
  const startDate = clampToPortfolio(`${Math.min(startYear, 2026)}-${pad(rng.int(1, 12))}-01`);
  const modules = business
    ? ["ONDN", ...pickSome(rng, { ARBZ: 0.5, VERKZ: 0.6, VAST: 0.4, FISZ: 0.2 })]
    : ["CONS", ...pickSome(rng, { WON: 0.7, ARB: 0.6, VERK: 0.75, FAM: 0.35, FIS: 0.15, MED: 0.25 })];
  const clauseCodes = business
    ? pickSome(rng, { "CL-INCASSO": 0.08 })
    : pickSome(rng, {
        "CL-BOUW": modules.includes("WON") ? 0.06 : 0,
        "CL-ECHT": modules.includes("FAM") ? 0.05 : 0,
      });
  const policy: GeneratedPolicy = {
    partner,
    ...numbers,
    product: business ? "RB-ZAKELIJK" : "RB-PARTICULIER",
    modules,
    conditionsCode: business ? "RBZ-2023" : startDate < "2025-01-01" ? "RBP-2022" : "RBP-2025",
    clauseCodes,
    startDate,
    status: "actief",
    household: !business && (householdSize > 1 || rng.chance(0.3)),
  };
  const r = rng.next();
  if (r < 0.09 && startDate < "2026-01-01") {
    const startYearNo = Number(startDate.slice(0, 4));
    policy.endDate = clampToPortfolio(
      `${rng.int(startYearNo + 1, 2026)}-${pad(rng.int(1, 12))}-${rng.chance(0.5) ? "01" : "28"}`,
    );
    policy.status = "geroyeerd";
  } else if (r < 0.1) {
    policy.status = "geschorst";
  }
  if (rng.chance(0.4)) policy.deductible = rng.pick([50, 100, 150, 250, 1234.5]);
  return policy;
}

/** Writes one policy of a person as the partner's delivery row would: each partner in its own style. */
export function toColumns(
  rng: Rng,
  person: GeneratedPerson,
  policy: GeneratedPolicy,
  style: number,
): Record<StandaardColumn, string> {
  const company = person.kind === "Z";
  const firstName = person.firstNames.split(" ")[0] ?? "";
  const columns: Record<StandaardColumn, string> = {
    polisnummer: policy.policyNumber,
    relatienummer: policy.partnerCustomerNumber,
    soort: company ? "Z" : style === 2 ? "" : "P",
    voorletters: company
      ? ""
      : style === 0 && rng.chance(0.3)
        ? person.initials.replace(/\./g, "")
        : person.initials,
    voornamen: company || style === 1 ? "" : style === 2 ? firstName : person.firstNames,
    tussenvoegsel: "",
    achternaam: "",
    bedrijfsnaam: person.companyName ?? "",
    kvk: person.kvk ?? "",
    geboortedatum: person.birthDate ? formatDate(person.birthDate, style, rng) : "",
    geslacht: person.gender ?? "",
    straat: person.street,
    huisnummer: String(person.houseNumber),
    toevoeging: "",
    postcode:
      style === 1
        ? person.postcode.replace(" ", "")
        : style === 2 && rng.chance(0.3)
          ? person.postcode.toLowerCase()
          : person.postcode,
    woonplaats: style === 2 ? person.city.toUpperCase() : person.city,
    land: style === 0 ? "NL" : "",
    telefoon: person.phones[0] ? formatPhone(person.phones[0], style, rng) : "",
    telefoon2: person.phones[1] ? formatPhone(person.phones[1], style, rng) : "",
    email: person.email ?? "",
    product: policy.product,
    dekkingen: policy.modules.join(style === 1 ? "|" : ","),
    ingangsdatum: formatDate(policy.startDate, style, rng),
    einddatum: policy.endDate ? formatDate(policy.endDate, style, rng) : "",
    mutatiedatum: "",
    status: policy.status === "actief" && style === 2 ? "" : policy.status,
    voorwaarden: policy.conditionsCode,
    clausules: policy.clauseCodes.join(","),
    eigen_risico: policy.deductible === undefined ? "" : formatAmount(policy.deductible, style),
    gezin: policy.household ? "J" : "N",
  };
  if (!company) {
    const prefix = person.tussenvoegsel;
    if (style === 0) {
      columns.tussenvoegsel = prefix ?? "";
      columns.achternaam = person.surname;
    } else if (style === 1) {
      // Intermediaries often deliver `Berg, van der` or the whole surname in one column.
      columns.achternaam = prefix
        ? rng.chance(0.5)
          ? `${person.surname}, ${prefix}`
          : `${prefix} ${person.surname}`
        : person.surname;
    } else {
      columns.tussenvoegsel = prefix ?? "";
      columns.achternaam = rng.chance(0.3) ? person.surname.toUpperCase() : person.surname;
    }
  }
  if (person.addition) {
    if (style === 0) columns.toevoeging = person.addition;
    else if (style === 1)
      columns.huisnummer = `${person.houseNumber}${/^\d/.test(person.addition) ? "-" : ""}${person.addition.toLowerCase()}`;
    else columns.huisnummer = `${person.houseNumber}-${person.addition}`;
  }
  return columns;
}

function pickSome(rng: Rng, chances: Record<string, number>): string[] {
  return Object.entries(chances)
    .filter(([, p]) => rng.chance(p))
    .map(([code]) => code);
}

/** Dates as the partner writes them: `dd-mm-jjjj` (sometimes `d-m-jjjj`), ISO, or `jjjjmmdd`. */
function formatDate(iso: string, style: number, rng: Rng): string {
  const [y, m, d] = iso.split("-") as [string, string, string];
  if (style === 1) return iso;
  if (style === 2) return `${y}${m}${d}`;
  return rng.chance(0.2) ? `${Number(d)}-${Number(m)}-${y}` : `${d}-${m}-${y}`;
}

/** Phone notations people and systems use for the same number. */
function formatPhone(e164: string, style: number, rng: Rng): string {
  const national = `0${e164.slice(3)}`;
  const mobile = national.startsWith("06");
  const areaLength = mobile
    ? 2
    : /^0(10|13|15|20|23|24|26|30|33|35|36|38|40|43|45|50|53|55|58|70|71|72|73|75|76|77|78|79)/.test(national)
      ? 3
      : 4;
  const area = national.slice(0, areaLength);
  const rest = national.slice(areaLength);
  if (style === 1) return rng.chance(0.5) ? `+31 ${area.slice(1)} ${rest}` : e164;
  if (style === 2) return rng.chance(0.7) ? national : `${area} ${rest.slice(0, -4)} ${rest.slice(-4)}`;
  return `${area}-${rest}`;
}

function formatAmount(amount: number, style: number): string {
  const fixed = amount.toFixed(2);
  if (style === 1) return fixed;
  const [whole, cents] = fixed.split(".") as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return style === 2 ? `€ ${grouped},${cents}` : cents === "00" ? whole : `${grouped},${cents}`;
}

function clampToPortfolio(iso: string): string {
  return iso > PORTFOLIO_DATE ? PORTFOLIO_DATE : iso;
}

const pad = (n: number) => String(n).padStart(2, "0");

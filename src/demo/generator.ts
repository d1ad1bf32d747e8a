import { STANDAARD_COLUMNS, type StandaardColumn } from "../ingest/standaard-columns.ts";
import { type GeneratedPerson, makeHousehold } from "./generator-people.ts";
import { Rng } from "./generator-prng.ts";
import { makePolicy, NumberIssuer, toColumns } from "./generator-rows.ts";

export type { GeneratedPerson, GeneratedPolicy } from "./generator-people.ts";
export { PORTFOLIO_DATE } from "./generator-rows.ts";

/** The demo partners: an underwriting agent (volmacht), an intermediary and a multi-line insurer. */
export const DEMO_PARTNERS = ["VOLMACHT-A", "TUSSEN-B", "MULTI-C"] as const;

/** One delivery row of the synthetic portfolio, with the ground truth it was written from. */
export interface GeneratedRow {
  /** Ground-truth identity of the policyholder (same across partners). */
  personId: string;
  partner: string;
  /** The row in `standaard` CSV columns, in this partner's notation. */
  columns: Record<StandaardColumn, string>;
  /** The clean person (all policies filled in) this row belongs to. */
  person: GeneratedPerson;
}

/** Options of the synthetic portfolio. */
export interface PortfolioOptions {
  /** Number of policyholders (persons and companies). */
  customers: number;
  seed: number;
  /** Partners to spread customers over; default the three demo partners. */
  partners?: readonly string[];
  /** Share of customers insured through two partners; default 0.06. */
  twoPartnerShare?: number;
}

/**
 * Generates a realistic Dutch portfolio, deterministically from the seed, one row per policy: households
 * at one address (sharing a landline), twins, fathers and sons with the same initials, companies, ended
 * policies, and customers insured through two partners in each partner's own notation. Streams: memory
 * does not grow with `customers`.
 */
export function* generatePortfolio(options: PortfolioOptions): Generator<GeneratedRow> {
  const { customers, seed } = options;
  const partners = options.partners ?? DEMO_PARTNERS;
  if (!Number.isInteger(customers) || customers < 0)
    throw new RangeError("customers must be a whole number ≥ 0");
  if (partners.length === 0) throw new RangeError("partners must name at least one partner");
  const rng = new Rng(seed);
  const issuer = new NumberIssuer();
  const twoPartnerShare = options.twoPartnerShare ?? 0.06;
  let made = 0;
  let personNo = 0;
  let householdNo = 0;
  const nextId = () => `G${String(++personNo).padStart(8, "0")}`;
  while (made < customers) {
    const household = makeHousehold(rng, ++householdNo, nextId).slice(0, customers - made);
    for (const person of household) {
      const first = rng.int(0, partners.length - 1);
      const chosen = [first];
      if (partners.length > 1 && rng.chance(twoPartnerShare))
        chosen.push((first + rng.int(1, partners.length - 1)) % partners.length);
      for (const index of chosen) {
        const partner = partners[index]!;
        person.policies.push(makePolicy(rng, person, partner, issuer.next(partner, index), household.length));
      }
      for (const [i, policy] of person.policies.entries()) {
        const style = chosen[i]! % 3;
        yield {
          personId: person.personId,
          partner: policy.partner,
          columns: toColumns(rng, person, policy, style),
          person,
        };
      }
      made++;
    }
  }
}

/** Writes rows as a `standaard` CSV: the header, then one line per row, quoting where needed. */
export function* toCsv(
  rows: Iterable<GeneratedRow>,
  options: { delimiter?: ";" | "," } = {},
): Generator<string> {
  const delimiter = options.delimiter ?? ";";
  yield `${STANDAARD_COLUMNS.join(delimiter)}\n`;
  for (const row of rows) yield `${csvLine(row.columns, delimiter)}\n`;
}

/** One CSV line (without line break) of standaard columns. */
export function csvLine(columns: Partial<Record<StandaardColumn, string>>, delimiter: ";" | ","): string {
  return STANDAARD_COLUMNS.map((col) => quote(columns[col] ?? "", delimiter)).join(delimiter);
}

function quote(value: string, delimiter: string): string {
  const needs = value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim();
  return needs ? `"${value.replace(/"/g, '""')}"` : value;
}

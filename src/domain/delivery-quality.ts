import { z } from "zod";
import type { CanonicalRow, RowError } from "./model.ts";

const count = z.number().int().nonnegative();
/** Examples kept of unknown product or module codes. */
const MAX_EXAMPLES = 20;

/**
 * What one delivery's data were like, counted while it was taken in (counts, not shares: the report
 * divides). Persons are the denominator of the birth-date and name + birth-date figures, since a
 * company has no birth date; every other figure counts over the accepted rows.
 */
export const DeliveryQuality = z.object({
  accepted: count,
  persons: count,
  /** Accepted rows having each field (postcode: a valid Dutch one, or a foreign one). */
  completeness: z.object({
    birthDate: count,
    phone: count,
    email: count,
    postcode: count,
    houseNumber: count,
  }),
  /** Accepted rows an agent can find by: name + birth date (persons), postcode + house number, a phone number. */
  findable: z.object({ nameBirthDate: count, postcodeHouseNumber: count, phone: count }),
  /** Rejected rows' problems by field (a row with two bad fields counts for both). */
  rejectedByField: z.record(z.string(), count),
  /** Rows repeating a policy number an earlier row of the same file had. */
  duplicatePolicyNumbers: count,
  /** Rows whose product the catalogue does not know, and rows naming a module their product lacks. */
  unknownProducts: z.object({ rows: count, codes: z.array(z.string()) }),
  unknownModules: z.object({ rows: count, codes: z.array(z.string()) }),
  /** Customers of this delivery who are also another partner's customer. */
  sharedCustomers: count,
  /** Policies this (full) delivery ended because it lacked them. */
  ended: count,
});
export type DeliveryQuality = z.infer<typeof DeliveryQuality>;

/** Product code → its module codes, for the catalogue checks. */
export type CatalogueModules = ReadonlyMap<string, ReadonlySet<string>>;

/** Counts a delivery's quality row by row (see DeliveryQuality). */
export class DeliveryQualityCounter {
  private readonly q: DeliveryQuality = {
    accepted: 0,
    persons: 0,
    completeness: { birthDate: 0, phone: 0, email: 0, postcode: 0, houseNumber: 0 },
    findable: { nameBirthDate: 0, postcodeHouseNumber: 0, phone: 0 },
    rejectedByField: {},
    duplicatePolicyNumbers: 0,
    unknownProducts: { rows: 0, codes: [] },
    unknownModules: { rows: 0, codes: [] },
    sharedCustomers: 0,
    ended: 0,
  };
  private readonly catalogue: CatalogueModules;
  constructor(catalogue: CatalogueModules) {
    this.catalogue = catalogue;
  }

  accepted(row: CanonicalRow): void {
    const q = this.q;
    q.accepted++;
    const { party, address } = row;
    const c = q.completeness;
    if (party.kind === "P") {
      q.persons++;
      if (party.birthDate) {
        c.birthDate++;
        if (party.surname) q.findable.nameBirthDate++;
      }
    }
    if (row.phones.length > 0) c.phone++;
    if (row.phones.some((p) => p.e164 !== null)) q.findable.phone++;
    if (row.email) c.email++;
    if (address.postcode) c.postcode++;
    if (address.houseNumber !== undefined) c.houseNumber++;
    if (address.postcode && address.houseNumber !== undefined) q.findable.postcodeHouseNumber++;
    const modules = this.catalogue.get(row.policy.product);
    if (!modules) note(q.unknownProducts, [row.policy.product]);
    else {
      const missing = row.policy.modules.filter((m) => !modules.has(m));
      if (missing.length > 0) note(q.unknownModules, missing);
    }
  }

  rejected(errors: readonly RowError[]): void {
    const byField = this.q.rejectedByField;
    for (const field of new Set(errors.map((e) => e.field))) byField[field] = (byField[field] ?? 0) + 1;
  }

  duplicate(): void {
    this.q.duplicatePolicyNumbers++;
  }

  set sharedCustomers(n: number) {
    this.q.sharedCustomers = n;
  }

  set ended(n: number) {
    this.q.ended = n;
  }

  /** A copy of the counts so far. */
  result(): DeliveryQuality {
    return structuredClone(this.q);
  }
}

function note(target: { rows: number; codes: string[] }, codes: readonly string[]): void {
  target.rows++;
  for (const code of codes)
    if (target.codes.length < MAX_EXAMPLES && !target.codes.includes(code)) target.codes.push(code);
}

import type { CanonicalRow, Party, Phone, PolicyStatus } from "../domain/model.ts";
import { parseAmount } from "../domain/normalise/amount.ts";
import { parseDutchDate } from "../domain/normalise/date.ts";
import { parseHouseNumber } from "../domain/normalise/house-number.ts";
import {
  expandTussenvoegsel,
  initialsFromFirstNames,
  normaliseInitials,
  splitSurname,
} from "../domain/normalise/name.ts";
import { normalisePhone } from "../domain/normalise/phone.ts";
import { normaliseDutchPostcode } from "../domain/normalise/postcode.ts";
import { squash } from "../domain/normalise/text.ts";
import type { StandaardColumn } from "./standaard-columns.ts";

/** A problem with one field of one row (the line is added by the reader). */
export interface FieldError {
  field: string;
  message: string;
}

/** The result of converting one row: the canonical row, or every problem found in it. */
export type RowResult = { ok: true; row: CanonicalRow } | { ok: false; errors: FieldError[] };

/** How dates are read; a partner profile may fix one notation. */
export type DateParser = (input: string) => string | null;

const STATUSES: readonly PolicyStatus[] = ["actief", "geroyeerd", "geschorst"];
/** Quotes a delivered value for an error message, clipped so a huge cell does not flood the report. */
const q = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Converts one `standaard` row (column → cell text) into a canonical row. Values are normalised only
 * where the meaning is certain (postcode spacing, phone to E.164 beside the raw value); a value that
 * cannot be read is an error on its column, never a guess. Other text is kept verbatim (trimmed).
 */
export function toCanonicalRow(
  cells: Partial<Record<StandaardColumn, string>>,
  partner: string,
  parseDate: DateParser = parseDutchDate,
): RowResult {
  const errors: FieldError[] = [];
  const fail = (field: StandaardColumn, message: string) => {
    errors.push({ field, message });
    return undefined;
  };
  const text = (col: StandaardColumn): string | undefined => {
    const raw = cells[col];
    // Most cells of a delivery are empty; skip the whitespace work for them.
    if (raw === undefined || raw === "") return undefined;
    const v = squash(raw);
    if (v.includes("\uFFFD")) return fail(col, "contains bytes that are not valid in the file's encoding");
    return v.length > 0 ? v : undefined;
  };
  const date = (col: StandaardColumn): string | undefined => {
    const v = text(col);
    if (v === undefined) return undefined;
    return parseDate(v) ?? fail(col, `${q(v)} is not a date (dd-mm-jjjj, d-m-jjjj, jjjj-mm-dd or jjjjmmdd)`);
  };
  const list = (col: StandaardColumn): string[] =>
    (text(col) ?? "")
      .split(/[,|]/)
      .map((s) => s.trim())
      .filter(Boolean);

  const policyNumber = text("polisnummer") ?? fail("polisnummer", "polisnummer is required");
  const soort = (text("soort") ?? "P").toUpperCase();
  if (soort !== "P" && soort !== "Z")
    fail("soort", `soort must be P (person) or Z (company), not ${q(soort)}`);
  const kind = soort === "Z" ? "Z" : "P";

  const party: Party = { kind };
  const initials = text("voorletters");
  const firstNames = text("voornamen");
  if (firstNames) party.firstNames = firstNames;
  const normalisedInitials = initials ? normaliseInitials(initials) : undefined;
  const derivedInitials = firstNames ? initialsFromFirstNames(firstNames) : undefined;
  if (normalisedInitials ?? derivedInitials) party.initials = normalisedInitials ?? derivedInitials;
  const lastName = text("achternaam");
  const prefix = text("tussenvoegsel");
  if (lastName) {
    // Partners often put the whole surname (`van der Berg`, `Berg, van der`) in achternaam.
    const split = prefix
      ? { tussenvoegsel: expandTussenvoegsel(prefix), surname: lastName }
      : splitSurname(lastName);
    party.surname = split.surname;
    if (split.tussenvoegsel) party.tussenvoegsel = split.tussenvoegsel;
  } else if (prefix) {
    party.tussenvoegsel = expandTussenvoegsel(prefix);
  }
  if (kind === "P" && !lastName) fail("achternaam", "achternaam is required for a person (soort P)");
  const companyName = text("bedrijfsnaam");
  if (companyName) party.companyName = companyName;
  if (kind === "Z" && !companyName) fail("bedrijfsnaam", "bedrijfsnaam is required for a company (soort Z)");
  const kvk = text("kvk");
  if (kvk) {
    const digits = kvk.replace(/[\s.]/g, "");
    if (/^\d{8}$/.test(digits)) party.kvk = digits;
    else fail("kvk", `kvk must be 8 digits, not ${q(kvk)}`);
  }
  const birthDate = date("geboortedatum");
  if (birthDate) party.birthDate = birthDate;
  const gender = text("geslacht")?.toUpperCase();
  if (gender === "M" || gender === "V" || gender === "X") party.gender = gender;
  else if (gender) fail("geslacht", `geslacht must be M, V or X, not ${q(gender)}`);

  const country = (text("land") ?? "NL").toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    fail("land", `land must be an ISO 3166 alpha-2 code such as NL, not ${q(country)}`);
  const address: CanonicalRow["address"] = { country };
  const street = text("straat");
  if (street) address.street = street;
  const houseNumberText = text("huisnummer");
  const addition = text("toevoeging");
  if (houseNumberText) {
    const parsed = parseHouseNumber(houseNumberText, addition);
    if (parsed) {
      address.houseNumber = parsed.number;
      if (parsed.addition) address.houseNumberAddition = parsed.addition;
    } else fail("huisnummer", `${q(houseNumberText)} is not a house number`);
  } else if (addition) fail("toevoeging", "toevoeging given without a huisnummer");
  const postcode = text("postcode");
  if (postcode && country === "NL") {
    const dutch = normaliseDutchPostcode(postcode);
    if (dutch) address.postcode = dutch;
    else fail("postcode", `${q(postcode)} is not a Dutch postcode (1234 AB)`);
  } else if (postcode) address.postcode = postcode;
  const city = text("woonplaats");
  if (city) address.city = city;

  const phones: Phone[] = [];
  for (const col of ["telefoon", "telefoon2"] as const) {
    const raw = text(col);
    if (raw) phones.push({ raw, e164: normalisePhone(raw) });
  }
  const email = text("email");
  if (email && !EMAIL.test(email)) fail("email", `${q(email)} is not an e-mail address`);

  const product = text("product") ?? fail("product", "product is required");
  const startDate = date("ingangsdatum");
  if (!squash(cells.ingangsdatum ?? "")) fail("ingangsdatum", "ingangsdatum is required");
  const endDate = date("einddatum");
  if (startDate && endDate && endDate < startDate) fail("einddatum", "einddatum lies before ingangsdatum");
  const effectiveDate = date("mutatiedatum");
  const status = (text("status") ?? "actief").toLowerCase();
  if (!(STATUSES as readonly string[]).includes(status)) {
    fail("status", `status must be actief, geroyeerd or geschorst, not ${q(status)}`);
  }
  const deductibleText = text("eigen_risico");
  let deductible: number | undefined;
  if (deductibleText) {
    const amount = parseAmount(deductibleText);
    if (amount === null || amount < 0) fail("eigen_risico", `${q(deductibleText)} is not an amount`);
    else deductible = amount;
  }
  const gezin = text("gezin")?.toUpperCase();
  if (gezin && gezin !== "J" && gezin !== "N") fail("gezin", `gezin must be J or N, not ${q(gezin)}`);
  const modules = list("dekkingen");
  const clauseCodes = list("clausules");
  const conditionsCode = text("voorwaarden");
  const partnerCustomerNumber = text("relatienummer");

  if (errors.length > 0 || !policyNumber || !product || !startDate) return { ok: false, errors };
  const row: CanonicalRow = {
    partner,
    policyNumber,
    party,
    address,
    phones,
    policy: {
      product,
      modules,
      startDate,
      status: status as PolicyStatus,
      clauseCodes,
      household: gezin === "J",
    },
  };
  if (partnerCustomerNumber) row.partnerCustomerNumber = partnerCustomerNumber;
  if (email) row.email = email;
  if (endDate) row.policy.endDate = endDate;
  if (conditionsCode) row.policy.conditionsCode = conditionsCode;
  if (deductible !== undefined) row.policy.deductible = deductible;
  if (effectiveDate) row.effectiveDate = effectiveDate;
  return { ok: true, row };
}

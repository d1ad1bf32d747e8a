import { z } from "zod";
import type { CanonicalRow, RowError } from "../domain/model.ts";
import { JsonlRow, readJsonlRows } from "./jsonl-rows.ts";
import type { StandaardColumn } from "./standaard-columns.ts";
import { toCanonicalRow } from "./standaard-row.ts";

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * A partner's id as deliveries name it; kept to a non-empty id here so it can be checked against the
 * partner registry in one place later.
 */
export const PartnerId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "a partner id: 1 to 64 letters, digits, - and _");

/** The policyholder as the partner states it on the phone (the `standaard` columns, in English). */
export const PhonePolicyholder = z
  .object({
    /** `P` person (default), `Z` company (zakelijk). */
    kind: z.enum(["P", "Z"]).optional(),
    initials: text(20).optional(),
    firstNames: text(100).optional(),
    tussenvoegsel: text(20).optional(),
    surname: text(100).optional(),
    companyName: text(200).optional(),
    /** In any of the contract's date notations (`dd-mm-jjjj`, `jjjj-mm-dd`, …). */
    birthDate: text(20).optional(),
    street: text(100).optional(),
    /** `12`, or with its addition (`12A`, `12-2`); a number is taken as is. */
    houseNumber: z.union([z.number().int().positive().max(999_999), text(20)]).optional(),
    houseNumberAddition: text(10).optional(),
    postcode: text(20).optional(),
    city: text(100).optional(),
    phone: text(30).optional(),
    email: text(254).optional(),
  })
  .strict();

/** Body of `POST /v1/phone-policies`: one policy a partner passes on by phone. */
export const PhonePolicyInput = z
  .object({
    partner: PartnerId,
    policyNumber: text(40),
    /** Product code. */
    product: text(64),
    /** Module codes (dekkingen). */
    modules: z.array(text(20)).min(1).max(30),
    /** Ingangsdatum, in any of the contract's date notations. */
    startDate: text(20),
    policyholder: PhonePolicyholder,
  })
  .strict();
export type PhonePolicyInput = z.infer<typeof PhonePolicyInput>;

/** Where each `standaard` column comes from in the body, for error paths the form can show. */
const BODY_PATH: Partial<Record<StandaardColumn, string>> = {
  polisnummer: "policyNumber",
  soort: "policyholder.kind",
  voorletters: "policyholder.initials",
  voornamen: "policyholder.firstNames",
  tussenvoegsel: "policyholder.tussenvoegsel",
  achternaam: "policyholder.surname",
  bedrijfsnaam: "policyholder.companyName",
  geboortedatum: "policyholder.birthDate",
  straat: "policyholder.street",
  huisnummer: "policyholder.houseNumber",
  toevoeging: "policyholder.houseNumberAddition",
  postcode: "policyholder.postcode",
  woonplaats: "policyholder.city",
  telefoon: "policyholder.phone",
  email: "policyholder.email",
  product: "product",
  dekkingen: "modules",
  ingangsdatum: "startDate",
};

/** A field error as the API names it: `body.` and the field's path in the request. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The delivery a phone policy becomes: its one JSON Lines record, and the canonical row it holds. */
export type PhoneDelivery =
  | { ok: true; line: string; row: CanonicalRow }
  | { ok: false; errors: FieldProblem[] };

/**
 * Turns a policy given by phone into the one-line JSON Lines delivery it is recorded as: the body is
 * read as a `standaard` row (the same normalisation and checks as a partner's CSV row), and the
 * record is read back through the JSON Lines reader the intake uses, so it will be accepted there.
 */
export async function toPhoneDelivery(input: PhonePolicyInput): Promise<PhoneDelivery> {
  const h = input.policyholder;
  const cells: Partial<Record<StandaardColumn, string>> = {
    polisnummer: input.policyNumber,
    soort: h.kind,
    voorletters: h.initials,
    voornamen: h.firstNames,
    tussenvoegsel: h.tussenvoegsel,
    achternaam: h.surname,
    bedrijfsnaam: h.companyName,
    geboortedatum: h.birthDate,
    straat: h.street,
    huisnummer: h.houseNumber === undefined ? undefined : String(h.houseNumber),
    toevoeging: h.houseNumberAddition,
    postcode: h.postcode,
    woonplaats: h.city,
    telefoon: h.phone,
    email: h.email,
    product: input.product,
    // A code holding the list separators would be split into two by the CSV rules.
    dekkingen: input.modules.join(","),
    ingangsdatum: input.startDate,
  };
  const problems: FieldProblem[] = input.modules.flatMap((m, i) =>
    /[,|]/.test(m) ? [{ path: `body.modules.${i}`, message: "one module code, without , or |" }] : [],
  );
  const read = toCanonicalRow(cells, input.partner);
  if (!read.ok)
    for (const e of read.errors)
      problems.push({ path: `body.${BODY_PATH[e.field as StandaardColumn] ?? e.field}`, message: e.message });
  if (!read.ok || problems.length > 0) return { ok: false, errors: problems };
  const { partner: _partner, ...record } = read.row;
  const line = JSON.stringify(JsonlRow.parse(record));
  for await (const parsed of readJsonlRows(once(line), {
    partner: input.partner,
    maxRecordBytes: 64 * 1024,
  })) {
    if (!parsed.ok) return { ok: false, errors: parsed.errors.map(asProblem) };
    return { ok: true, line, row: parsed.row };
  }
  return { ok: false, errors: [{ path: "body", message: "the policy could not be read" }] };
}

async function* once(line: string): AsyncIterable<string> {
  yield line;
}

function asProblem(e: RowError): FieldProblem {
  return { path: `body.${e.field}`, message: e.message };
}

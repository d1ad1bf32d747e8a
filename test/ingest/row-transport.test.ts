import { describe, expect, it } from "vitest";
import { generatePortfolio, toCsv } from "../../src/demo/generator.ts";
import { matchKeys } from "../../src/domain/identity.ts";
import { Address, CanonicalRow, Party, PolicyTerms } from "../../src/domain/model.ts";
import type { ParsedRow } from "../../src/ingest/read-delivery.ts";
import {
  ADDRESS_FIELDS,
  PARTY_FIELDS,
  packRows,
  ROW_FIELDS,
  TERMS_FIELDS,
  unpackRows,
} from "../../src/ingest/row-transport.ts";
import { readAll } from "./support.ts";

/** A row with every field of the model set. */
const full: CanonicalRow = {
  partner: "VOLMACHT-A",
  policyNumber: "VA1",
  party: {
    kind: "P",
    firstNames: "Jan Pieter",
    initials: "J.P.",
    surname: "Berg",
    tussenvoegsel: "van den",
    companyName: "Berg Advies",
    kvk: "12345678",
    birthDate: "1980-02-29",
    gender: "M",
  },
  address: {
    country: "NL",
    street: "Kerkstraat",
    houseNumber: 12,
    houseNumberAddition: "A",
    postcode: "1234 AB",
    city: "Zwolle",
  },
  phones: [
    { raw: "06-12345678", e164: "+31612345678" },
    { raw: "onbekend", e164: null },
  ],
  policy: {
    product: "RB-PARTICULIER",
    modules: ["CONS", "WON"],
    startDate: "2024-01-01",
    status: "geroyeerd",
    clauseCodes: ["C1"],
    household: true,
    endDate: "2025-01-01",
    conditionsCode: "RBP-2022",
    deductible: 250.5,
  },
  partnerCustomerNumber: "R1",
  email: "jan@example.nl",
  effectiveDate: "2024-06-01",
};

describe("rows from the parse worker (row-transport)", () => {
  it("carries every field of the model, in the orders it names", () => {
    expect(new Set(ROW_FIELDS)).toEqual(new Set(Object.keys(CanonicalRow.shape)));
    expect(new Set(PARTY_FIELDS)).toEqual(new Set(Object.keys(Party.shape)));
    expect(new Set(ADDRESS_FIELDS)).toEqual(new Set(Object.keys(Address.shape)));
    expect(new Set(TERMS_FIELDS)).toEqual(new Set(Object.keys(PolicyTerms.shape)));
    const [back] = unpackRows(packRows([{ line: 2, ok: true, row: full, keys: matchKeys(full) }]));
    expect(back).toStrictEqual({ line: 2, ok: true, row: full, keys: matchKeys(full) });
    if (!back?.ok) throw new Error("expected an accepted row");
    expect(Object.keys(back.row)).toEqual([...ROW_FIELDS]);
    expect(Object.keys(back.row.party)).toEqual([...PARTY_FIELDS]);
    expect(Object.keys(back.row.address)).toEqual([...ADDRESS_FIELDS]);
    expect(Object.keys(back.row.policy)).toEqual([...TERMS_FIELDS]);
  });

  it("gives back what the reader made: the same rows, the same JSON text, rejections as they were", async () => {
    const csv = [...toCsv(generatePortfolio({ customers: 2000, seed: 5 }))].join("");
    const rows: ParsedRow[] = (await readAll(`${csv}BAD;R9;P;;;;;;;;;;;;;;;;;;;;;;;;;;;\n`)).map((r) =>
      r.ok && r.line % 2 === 0 ? { ...r, keys: matchKeys(r.row) } : r,
    );
    expect(rows.some((r) => !r.ok)).toBe(true);
    const back = unpackRows(packRows(rows));
    expect(back).toEqual(rows);
    expect(back.map((r) => JSON.stringify(r))).toEqual(rows.map((r) => JSON.stringify(r)));
  });
});

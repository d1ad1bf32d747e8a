import { describe, expect, it } from "vitest";
import { companyNameKey, matchKeys, partiesConflict, partnerRefsConflict } from "./identity.ts";
import type { CanonicalRow, Party } from "./model.ts";

type RowOver = {
  partner?: string;
  relatie?: string;
  party?: Partial<Party>;
  address?: Partial<CanonicalRow["address"]>;
  phone?: string;
};

function row(over: RowOver = {}): CanonicalRow {
  return {
    partner: over.partner ?? "VOLMACHT-A",
    policyNumber: "P1",
    partnerCustomerNumber: over.relatie,
    party: {
      kind: "P",
      initials: "J.",
      surname: "Berg",
      tussenvoegsel: "van den",
      birthDate: "1980-05-01",
      ...over.party,
    },
    address: { postcode: "3511 AB", houseNumber: 12, country: "NL", ...over.address },
    phones: over.phone ? [{ raw: over.phone, e164: over.phone }] : [],
    policy: {
      product: "RB-PARTICULIER",
      modules: [],
      startDate: "2024-01-01",
      status: "actief",
      clauseCodes: [],
      household: false,
    },
  };
}

/** Same customer when they share a key and the veto finds no contradiction. */
function samePerson(a: CanonicalRow, b: CanonicalRow): boolean {
  const kb = new Set(matchKeys(b));
  const shared = matchKeys(a).filter((k) => kb.has(k));
  if (shared.some((k) => k.startsWith("R|"))) return true;
  return shared.length > 0 && !partiesConflict(a.party, b.party);
}

describe("one customer across partners", () => {
  it.each<[string, CanonicalRow, CanonicalRow, boolean]>([
    [
      "same partner, same relatienummer, different spelling",
      row({ relatie: "r-9" }),
      row({ relatie: "R-9", party: { surname: "Bergh" } }),
      true,
    ],
    [
      "two partners, same relatienummer means nothing",
      row({ relatie: "9" }),
      row({ relatie: "9", partner: "TUSSEN-B", party: { surname: "Smit" } }),
      false,
    ],
    ["two partners, same name, birth date and address", row(), row({ partner: "TUSSEN-B" }), true],
    [
      "tussenvoegsel written as part of the surname",
      row(),
      row({ party: { surname: "van den Berg", tussenvoegsel: undefined } }),
      true,
    ],
    [
      "diacritics and case do not matter",
      row({ party: { surname: "Çelik", tussenvoegsel: undefined } }),
      row({ party: { surname: "CELIK", tussenvoegsel: undefined } }),
      true,
    ],
    [
      "initials J. and J.P. are not merged (could be a twin's short form)",
      row(),
      row({ party: { initials: "J.P." } }),
      false,
    ],
    [
      "first names Jan Pieter and initials J.P. agree",
      row({ party: { initials: undefined, firstNames: "Jan Pieter" } }),
      row({ party: { initials: "J.P." }, partner: "TUSSEN-B" }),
      true,
    ],
    ["postcode notation does not matter", row(), row({ address: { postcode: "3511ab" } }), true],
    [
      "twins: same surname, birth date and address, other initial",
      row({ party: { initials: "J." } }),
      row({ party: { initials: "M." } }),
      false,
    ],
    [
      "twins with the same initial but other first names",
      row({ party: { firstNames: "Jan" } }),
      row({ party: { firstNames: "Joost" } }),
      false,
    ],
    [
      "twins with the same first initial but other second initials",
      row({ party: { initials: "J.P." } }),
      row({ party: { initials: "J.K." } }),
      false,
    ],
    [
      "father and son: same initials, same address, other birth date",
      row({ party: { birthDate: "1955-02-03" } }),
      row({ party: { birthDate: "1985-07-08" } }),
      false,
    ],
    [
      "shared household phone is not identity",
      row({ phone: "+31301234567", party: { initials: "A." } }),
      row({ phone: "+31301234567", party: { initials: "B." } }),
      false,
    ],
    [
      "no birth date: never merged on name and address alone",
      row({ party: { birthDate: undefined } }),
      row({ party: { birthDate: undefined }, partner: "TUSSEN-B" }),
      false,
    ],
    [
      "same person after a move stays apart (no address-free key)",
      row(),
      row({ partner: "TUSSEN-B", address: { postcode: "1011 AA", houseNumber: 1 } }),
      false,
    ],
    [
      "other house number addition is another home",
      row({ address: { houseNumberAddition: "A" } }),
      row({ address: { houseNumberAddition: "B" } }),
      false,
    ],
    [
      "gender M and V apart even with the same key",
      row({ party: { gender: "M" } }),
      row({ party: { gender: "V" } }),
      false,
    ],
  ])("%s → same customer: %s", (_title, a, b, expected) => {
    expect(samePerson(a, b)).toBe(expected);
    expect(samePerson(b, a)).toBe(expected);
  });
});

describe("companies", () => {
  const company = (party: Partial<Party>, postcode = "1234 AB"): CanonicalRow =>
    row({
      party: {
        kind: "Z",
        surname: undefined,
        tussenvoegsel: undefined,
        initials: undefined,
        birthDate: undefined,
        ...party,
      },
      address: { postcode },
    });
  it.each<[string, CanonicalRow, CanonicalRow, boolean]>([
    [
      "same KvK, other name",
      company({ kvk: "12345678", companyName: "Jansen BV" }),
      company({ kvk: "12345678", companyName: "Jansen Holding" }, "9999 ZZ"),
      true,
    ],
    [
      "same name and postcode, legal form written differently",
      company({ companyName: "Bakkerij de Vries B.V." }),
      company({ companyName: "Bakkerij De Vries bv" }),
      true,
    ],
    [
      "same name, other postcode",
      company({ companyName: "Bakkerij de Vries" }),
      company({ companyName: "Bakkerij de Vries" }, "5678 CD"),
      false,
    ],
    [
      "same name and postcode but two KvK numbers",
      company({ companyName: "Kapsalon Anna", kvk: "11111111" }),
      company({ companyName: "Kapsalon Anna", kvk: "22222222" }),
      false,
    ],
  ])("%s → same customer: %s", (_title, a, b, expected) => expect(samePerson(a, b)).toBe(expected));

  it("drops legal forms from the name key", () =>
    expect(companyNameKey("Jansen & Zn. B.V.")).toBe("jansenzn"));
});

describe("matchKeys", () => {
  it("gives a stored customer the same keys as the row it came from", () => {
    const r = row({ relatie: "77" });
    const customer = {
      customerId: "c1",
      party: r.party,
      address: r.address,
      phones: [],
      partnerRefs: [{ partner: r.partner, partnerCustomerNumber: "77" }],
      matchKeys: [],
      deliveryIds: [],
      updatedAt: "2026-01-01T00:00:00.000Z",
    };
    expect(matchKeys(customer)).toEqual(matchKeys(r));
    expect(matchKeys(r)).toEqual(["R|VOLMACHT-A|77", "P|berg|j|1980-05-01|3511ab|12"]);
  });
});

describe("partnerRefsConflict", () => {
  const customer = { partnerRefs: [{ partner: "TUSSEN-B", partnerCustomerNumber: "K-1" }] };
  it.each<[string, CanonicalRow, boolean]>([
    [
      "same partner, other relatienummer: the partner says two customers",
      row({ partner: "TUSSEN-B", relatie: "K-2" }),
      true,
    ],
    ["same partner, same relatienummer in other case", row({ partner: "TUSSEN-B", relatie: "k-1" }), false],
    ["another partner's numbering says nothing", row({ partner: "VOLMACHT-A", relatie: "R-9" }), false],
    ["no relatienummer delivered", row({ partner: "TUSSEN-B" }), false],
  ])("%s → %s", (_t, r, expected) => expect(partnerRefsConflict(customer, r)).toBe(expected));
});

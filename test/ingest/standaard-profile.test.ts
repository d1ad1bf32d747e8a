import { describe, expect, it } from "vitest";
import { STANDAARD_COLUMNS } from "../../src/ingest/standaard-columns.ts";
import { accepted, csvOf, readAll } from "./support.ts";

const base = {
  polisnummer: "VA1000001",
  achternaam: "Jansen",
  product: "RB-PARTICULIER",
  ingangsdatum: "01-01-2024",
};

async function one(fields: Record<string, string>) {
  const row = { ...base, ...fields };
  const rows = await readAll(csvOf(Object.keys(row), [row]));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe("standaard profile: every contract column", () => {
  it("reads a full row into the canonical model", async () => {
    const row = {
      polisnummer: " VA1000001 ",
      relatienummer: "R0001",
      soort: "P",
      voorletters: "jp",
      voornamen: "Jan Pieter",
      tussenvoegsel: "van der",
      achternaam: "Berg",
      bedrijfsnaam: "",
      kvk: "",
      geboortedatum: "1-3-1980",
      geslacht: "m",
      straat: "Kerkstraat",
      huisnummer: "12",
      toevoeging: "a",
      postcode: "1234ab",
      woonplaats: "Utrecht",
      land: "",
      telefoon: "06-12345678",
      telefoon2: "020 123 4567",
      email: "jp@example.nl",
      product: "RB-PARTICULIER",
      dekkingen: "CONS,WON|ARB",
      ingangsdatum: "20210301",
      einddatum: "2026-12-31",
      mutatiedatum: "",
      status: "Actief",
      voorwaarden: "RBP-2022",
      clausules: "CL-BOUW, CL-ECHT",
      eigen_risico: "1.234,56",
      gezin: "j",
    };
    expect(Object.keys(row)).toEqual([...STANDAARD_COLUMNS]);
    const [parsed] = await readAll(csvOf(Object.keys(row), [row]));
    expect(parsed!.line).toBe(2);
    expect(accepted(parsed)).toEqual({
      partner: "VOLMACHT-A",
      policyNumber: "VA1000001",
      partnerCustomerNumber: "R0001",
      party: {
        kind: "P",
        initials: "J.P.",
        firstNames: "Jan Pieter",
        tussenvoegsel: "van der",
        surname: "Berg",
        birthDate: "1980-03-01",
        gender: "M",
      },
      address: {
        country: "NL",
        street: "Kerkstraat",
        houseNumber: 12,
        houseNumberAddition: "A",
        postcode: "1234 AB",
        city: "Utrecht",
      },
      phones: [
        { raw: "06-12345678", e164: "+31612345678" },
        { raw: "020 123 4567", e164: "+31201234567" },
      ],
      email: "jp@example.nl",
      policy: {
        product: "RB-PARTICULIER",
        modules: ["CONS", "WON", "ARB"],
        startDate: "2021-03-01",
        endDate: "2026-12-31",
        status: "actief",
        conditionsCode: "RBP-2022",
        clauseCodes: ["CL-BOUW", "CL-ECHT"],
        deductible: 1234.56,
        household: true,
      },
    });
  });

  it("leaves effectiveDate undefined when mutatiedatum is empty, and reads it when given", async () => {
    expect(accepted(await one({ mutatiedatum: "" })).effectiveDate).toBeUndefined();
    expect(accepted(await one({ mutatiedatum: "15-06-2025" })).effectiveDate).toBe("2025-06-15");
  });

  it.each([
    ["dd-mm-jjjj", "01-03-1980"],
    ["d-m-jjjj", "1-3-1980"],
    ["jjjj-mm-dd", "1980-03-01"],
    ["jjjjmmdd", "19800301"],
  ])("reads birth dates written %s", async (_notation, value) => {
    expect(accepted(await one({ geboortedatum: value })).party.birthDate).toBe("1980-03-01");
  });

  it.each([
    ["achternaam 'van der Berg'", { achternaam: "van der Berg" }, "van der", "Berg"],
    ["achternaam 'Berg, van der'", { achternaam: "Berg, van der" }, "van der", "Berg"],
    ["separate tussenvoegsel 'V.D.'", { tussenvoegsel: "V.D.", achternaam: "Berg" }, "van de", "Berg"],
    ["double surname", { achternaam: "Jansen-de Vries" }, undefined, "Jansen-de Vries"],
    ["in 't Veld", { achternaam: "in 't Veld" }, "in 't", "Veld"],
    ["diacritics kept", { achternaam: "Çelik" }, undefined, "Çelik"],
  ])("splits surnames: %s", async (_case, fields, tussenvoegsel, surname) => {
    const party = accepted(await one(fields)).party;
    expect(party.tussenvoegsel).toBe(tussenvoegsel);
    expect(party.surname).toBe(surname);
  });

  it("derives initials from first names when voorletters are missing", async () => {
    expect(accepted(await one({ voornamen: "Zoë Anaïs" })).party.initials).toBe("Z.A.");
  });

  it("reads a company (soort Z) with bedrijfsnaam and KvK, no achternaam needed", async () => {
    const row = accepted(
      await one({ soort: "Z", achternaam: "", bedrijfsnaam: "Bakkerij Öztürk B.V.", kvk: "1234 5678" }),
    );
    expect(row.party).toEqual({ kind: "Z", companyName: "Bakkerij Öztürk B.V.", kvk: "12345678" });
  });

  it("keeps a foreign postcode as free text and validates only Dutch ones", async () => {
    const be = accepted(await one({ land: "be", postcode: "1000", woonplaats: "Brussel" }));
    expect(be.address).toMatchObject({ country: "BE", postcode: "1000" });
    const nl = await one({ postcode: "1000" });
    expect(nl.ok).toBe(false);
  });

  it("keeps a phone that is no number as delivered, without an E.164 form", async () => {
    expect(accepted(await one({ telefoon: "bellen na 18u" })).phones).toEqual([
      { raw: "bellen na 18u", e164: null },
    ]);
  });

  it("defaults status to actief, gezin to N and land to NL", async () => {
    const row = accepted(await one({}));
    expect(row.policy.status).toBe("actief");
    expect(row.policy.household).toBe(false);
    expect(row.address.country).toBe("NL");
  });

  it.each([
    ["soort", { soort: "X" }],
    ["achternaam", { achternaam: "" }],
    ["bedrijfsnaam", { soort: "Z", achternaam: "" }],
    ["kvk", { kvk: "1234" }],
    ["geboortedatum", { geboortedatum: "31-02-1980" }],
    ["geslacht", { geslacht: "man" }],
    ["huisnummer", { huisnummer: "twaalf" }],
    ["toevoeging", { toevoeging: "A" }],
    ["postcode", { postcode: "1234 SS" }],
    ["land", { land: "Nederland" }],
    ["email", { email: "geen e-mail" }],
    ["product", { product: "" }],
    ["ingangsdatum", { ingangsdatum: "" }],
    ["ingangsdatum", { ingangsdatum: "morgen" }],
    ["einddatum", { einddatum: "01-01-2020" }],
    ["mutatiedatum", { mutatiedatum: "2025-13-01" }],
    ["status", { status: "lopend" }],
    ["eigen_risico", { eigen_risico: "veel" }],
    ["eigen_risico", { eigen_risico: "-100" }],
    ["gezin", { gezin: "ja" }],
    ["polisnummer", { polisnummer: "" }],
  ])("rejects the row with the field named: %s", async (field, fields) => {
    const row = await one(fields);
    expect(row.ok).toBe(false);
    if (!row.ok) expect(row.errors).toContainEqual(expect.objectContaining({ line: 2, field }));
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/errors.ts";
import { type DeliveryProfile, loadProfiles } from "../../src/ingest/profile.ts";
import { DEFAULT_PROFILES_DIR } from "../../src/ingest/read-delivery.ts";
import { accepted, readAll } from "./support.ts";

const VOLMACHT_A_EXPORT = [
  "Polisnr;Relatienr;Soort relatie;Voorl.;Voornaam;Tussenv.;Naam;Geb.datum;M/V;Adres;Huisnr;Toev.;Postcode;Plaats;Tel. mobiel;E-mailadres;Productcode;Modules;Ingangsdatum;Vervaldatum;Polisstatus;Voorwaarden;Clausules;ER;Gezinsdekking;Interne notitie",
  "VA-77001;R-501;Particulier;J.;Johanna;van der;Berg;03.04.1975;Vrouw;Kerkstraat;12;b;1234 AB;Utrecht;06-12345678;j.vdberg@example.nl;Rechtsbijstand Particulier;Consument,Wonen,Werk en inkomen;01.02.2021;;Lopend;RBP-2022;CL-BOUW;150,00;Ja;belt liever 's avonds",
  "VA-77002;R-502;Zakelijk;;;;;;;Markt;3;;3011 HE;Rotterdam;010-4123456;;Rechtsbijstand Zakelijk;ONDN;01.01.2023;31.12.2025;Beëindigd;RBZ-2023;;;Nee;",
  "VA-77003;R-503;Particulier;P.;;;Jansen;1975-04-03;Man;Markt;4;;3011 HE;Rotterdam;;;Rechtsbijstand Particulier;Consument;3-4-1975;;Lopend;;;;Nee;",
].join("\r\n");

describe("partner mapping profiles", () => {
  let profiles: Map<string, DeliveryProfile>;
  beforeAll(async () => {
    profiles = await loadProfiles(DEFAULT_PROFILES_DIR);
  });

  it("loads the repository's profiles next to the built-in standaard", () => {
    expect(profiles.get("standaard")?.name).toBe("standaard");
    expect(profiles.get("volmacht-a-export")).toMatchObject({ version: 1, extends: "standaard" });
    expect(profiles.get("volmacht-a-export@1")).toBe(profiles.get("volmacht-a-export"));
  });

  it("reads a file in VOLMACHT-A's own export layout into canonical rows", async () => {
    const rows = await readAll(VOLMACHT_A_EXPORT, { profile: "volmacht-a-export", profiles });
    const person = accepted(rows[0]);
    expect(person.policyNumber).toBe("VA-77001");
    expect(person.partnerCustomerNumber).toBe("R-501");
    expect(person.party).toEqual({
      kind: "P",
      initials: "J.",
      firstNames: "Johanna",
      tussenvoegsel: "van der",
      surname: "Berg",
      birthDate: "1975-04-03",
      gender: "V",
    });
    expect(person.address).toMatchObject({ houseNumber: 12, houseNumberAddition: "B", postcode: "1234 AB" });
    expect(person.policy).toMatchObject({
      product: "RB-PARTICULIER",
      modules: ["CONS", "WON", "ARB"],
      startDate: "2021-02-01",
      status: "actief",
      clauseCodes: ["CL-BOUW"],
      deductible: 150,
      household: true,
    });
    expect(JSON.stringify(person)).not.toContain("avonds"); // an unmapped column is ignored
  });

  it("maps values (Zakelijk → Z, Beëindigd → geroyeerd) and reports a company without a name", async () => {
    const rows = await readAll(VOLMACHT_A_EXPORT, { profile: "volmacht-a-export", profiles });
    expect(rows[1]).toMatchObject({ line: 3, ok: false, errors: [{ field: "bedrijfsnaam" }] });
  });

  it("holds the partner to its own date notation (ISO accepted, d-m-jjjj not)", async () => {
    const rows = await readAll(VOLMACHT_A_EXPORT, { profile: "volmacht-a-export", profiles });
    expect(rows[2]).toMatchObject({ line: 4, ok: false, errors: [{ line: 4, field: "ingangsdatum" }] });
  });

  it("rejects a file in the partner layout read with the standaard profile", async () => {
    await expect(readAll(VOLMACHT_A_EXPORT, { profiles })).rejects.toThrow(/no polisnummer column/);
  });

  describe("a bad profile file names the file and the field", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "profiles-"));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it.each([
      ["headers.Polisnr", { headers: { Polisnr: "polisnumer" } }],
      ["version", { version: "1" }],
      ["extends", { extends: "eigen" }],
      ["dateFormat", { dateFormat: "yyyy" }],
      ["values.land.Nederland", { values: { land: { Nederland: 1 } } }],
      ["(root)", { kolommen: {} }],
    ])("%s", async (field, change) => {
      const profile = { name: "partner-x", version: 1, extends: "standaard", headers: {}, ...change };
      await rm(join(dir, "p.json"), { force: true });
      await writeFile(join(dir, "p.json"), JSON.stringify(profile));
      const error = await loadProfiles(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("VALIDATION_FAILED");
      expect((error as AppError).message).toContain(join(dir, "p.json"));
      expect((error as AppError).details?.field ?? "(root)").toBe(field === "(root)" ? "(root)" : field);
    });

    it("a file that is not JSON", async () => {
      await writeFile(join(dir, "p.json"), "{ name: ");
      await expect(loadProfiles(dir)).rejects.toThrow(/p\.json: not valid JSON/);
    });
  });
});

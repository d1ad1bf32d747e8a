import { describe, expect, it } from "vitest";
import { defaultNvgaProfile } from "../demo/generator-nvga.ts";
import type { NvgaProfile } from "./nvga-profile.ts";
import { type NvgaFileInfo, readNvgaRows } from "./nvga-rows.ts";
import type { ParsedRow } from "./read-delivery.ts";

const profile = defaultNvgaProfile();

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<NVGAFilePolis xmlns="http://www.sivi.org/berichtschema/nvga">
<AL><AL_ENTITEI>AL</AL_ENTITEI><AL_ADATMSG>20261031</AL_ADATMSG><AL_INCLGP>N</AL_INCLGP></AL>
<VE><VE_ENTITEI>VE</VE_ENTITEI><VE_ANAAM>Volmacht</VE_ANAAM></VE>
<VL><VL_ENTITEI>VL</VL_ENTITEI><VL_MYAAND>N013</VL_MYAAND></VL>
`;
const holder = (extra = "") =>
  `<VP><VP_RELNUM>R1</VP_RELNUM><VP_ANAAM>Berg</VP_ANAAM><VP_VOORV>van der</VP_VOORV><VP_VOORL>J.</VP_VOORL><VP_GEBDAT>19750312</VP_GEBDAT><VP_PCODE>1234AB</VP_PCODE><VP_HUISNR>12</VP_HUISNR><VP_TELNUM>06-12345678</VP_TELNUM>${extra}</VP>`;
const policy = (n: string, opts: { holder?: string; extra?: string; branche?: string } = {}) =>
  `<PP><PP_NUMMER>${n}</PP_NUMMER><PP_BRANCHE>${opts.branche ?? "060"}</PP_BRANCHE><PP_PRODUCC>RB-PARTICULIER</PP_PRODUCC><PP_INGDAT>20230101</PP_INGDAT>${opts.extra ?? ""}${opts.holder ?? holder()}<XD><XD_MYCODE>CONS</XD_MYCODE></XD><XD><XD_CODE>WON</XD_CODE></XD></PP>\n`;
const file = (...policies: string[]) => `${HEAD}${policies.join("")}</NVGAFilePolis>\n`;

async function* chunks(text: string, size = 7): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(
  text: string,
  over: { profile?: NvgaProfile; porCodes?: string[]; maxRecordBytes?: number } = {},
): Promise<{ rows: ParsedRow[]; info?: NvgaFileInfo }> {
  const rows: ParsedRow[] = [];
  let info: NvgaFileInfo | undefined;
  for await (const row of readNvgaRows(chunks(text), {
    partner: "VOLMACHT-A",
    profile: over.profile ?? profile,
    maxRecordBytes: over.maxRecordBytes ?? 256 * 1024,
    porCodes: over.porCodes ?? [],
    onInfo: (i) => (info = i),
  }))
    rows.push(row);
  return { rows, ...(info ? { info } : {}) };
}

describe("NVGA File Polis reader", () => {
  it("reads a policy with its policyholder and coverages into a canonical row", async () => {
    const { rows, info } = await read(file(policy("VA-1", { extra: "<PP_STATUS>actief</PP_STATUS>" })));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ ok: true, line: 6 });
    if (!row.ok) return;
    expect(row.row).toMatchObject({
      partner: "VOLMACHT-A",
      policyNumber: "VA-1",
      partnerCustomerNumber: "R1",
      party: {
        kind: "P",
        surname: "Berg",
        tussenvoegsel: "van der",
        initials: "J.",
        birthDate: "1975-03-12",
      },
      address: { postcode: "1234 AB", houseNumber: 12, country: "NL" },
      policy: {
        product: "RB-PARTICULIER",
        startDate: "2023-01-01",
        status: "actief",
        modules: ["CONS", "WON"],
      },
    });
    expect(info).toMatchObject({
      root: "NVGAFilePolis",
      referenceDate: "2026-10-31",
      includesCancelled: false,
      recipients: ["N013"],
    });
  });

  it("maps the insurer's codes through the profile: status, coverage codes, a legal person, a lapsed policy", async () => {
    const custom: NvgaProfile = {
      ...profile,
      values: { status: { "1": "actief", "3": "geroyeerd" }, dekkingen: { "6001": "CONS", "6002": "WON" } },
    };
    const company = `<VP><VP_ANAAM>Bakkerij de Gouden Korst B.V.</VP_ANAAM><VP_GESLACH>R</VP_GESLACH><VP_KVKNUM>12345678</VP_KVKNUM></VP>`;
    const text = file(
      `<PP><PP_NUMMER>C-1</PP_NUMMER><PP_PRODUCC>RB-ZAKELIJK</PP_PRODUCC><PP_INGDAT>20230101</PP_INGDAT><PP_STATUS>1</PP_STATUS>${company}<XD><XD_MYCODE>6001</XD_MYCODE></XD><XD><XD_MYCODE>6002</XD_MYCODE></XD></PP>`,
      policy("L-1", { extra: "<PP_STATUS>1</PP_STATUS><PP_VRWRKCD>2</PP_VRWRKCD>" }),
      policy("S-3", { extra: "<PP_STATUS>3</PP_STATUS>" }),
    );
    const rows = (await read(text, { profile: custom })).rows;
    const ok = rows.flatMap((r) => (r.ok ? [r.row] : []));
    expect(ok.map((r) => [r.policyNumber, r.policy.status])).toEqual([
      ["C-1", "actief"],
      ["L-1", "geroyeerd"],
      ["S-3", "geroyeerd"],
    ]);
    expect(ok[0]).toMatchObject({
      party: { kind: "Z", companyName: "Bakkerij de Gouden Korst B.V.", kvk: "12345678" },
      policy: { modules: ["CONS", "WON"] },
    });
    expect(ok[0]!.party.surname).toBeUndefined();
  });

  it("rejects an invalid policy as a row error naming its line and label, and reads the rest", async () => {
    const text = file(
      policy("OK-1"),
      policy("BAD-1", { holder: holder().replace("1234AB", "12345") }),
      policy("NOVP-1", { holder: "" }),
      policy("TWO-1", { holder: holder() + holder() }),
      `<PP><PP_PRODUCC>RB-PARTICULIER</PP_PRODUCC><PP_INGDAT>20230101</PP_INGDAT>${holder()}</PP>\n`,
      policy("DATE-1", { extra: "<PP_EXPDAT>31-12-2025</PP_EXPDAT>" }),
    );
    const { rows } = await read(text);
    expect(rows.map((r) => r.ok)).toEqual([true, false, false, false, false, false]);
    const errors = rows.flatMap((r) => (r.ok ? [] : r.errors));
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [7, "VP_PCODE"],
      [8, "VP"],
      [9, "VP"],
      [10, "PP_NUMMER"],
      [11, "PP_EXPDAT"],
    ]);
    expect(errors[1]!.message).toMatch(/no VP/);
  });

  it("counts and skips policies of other branches, and counts labels the profile does not know", async () => {
    const { rows, info } = await read(
      file(
        policy("RB-1", { extra: "<PP_PREMIE>12.50</PP_PREMIE><PP_BSNR>1</PP_BSNR>" }),
        policy("BR-1", { branche: "030" }),
        policy("RB-2", {
          extra: "<PP_PREMIE>10.00</PP_PREMIE>",
          holder: holder("<VP_BSNR>123456782</VP_BSNR>"),
        }),
      ),
    );
    expect(rows.map((r) => r.ok && r.row.policyNumber)).toEqual(["RB-1", "RB-2"]);
    expect(info).toMatchObject({ skippedOtherBranches: 1, unknownLabels: { PP_PREMIE: 2, PP_BSNR: 1 } });
    // VP_BSNR is ignored on purpose (never stored), so it is not unknown.
    expect(info?.unknownLabels.VP_BSNR).toBeUndefined();
  });

  it("refuses a file for another insurer (WRONG_RECIPIENT) and skips another insurer's policies in a shared file", async () => {
    await expect(read(file(policy("A-1")), { porCodes: ["N999"] })).rejects.toMatchObject({
      code: "WRONG_RECIPIENT",
    });
    const shared = file(policy("A-1"), policy("B-1", { extra: "<PP_MYAAND>N777</PP_MYAAND>" }));
    const { rows, info } = await read(shared.replace("</VL>", "</VL><VL><VL_MYAAND>N777</VL_MYAAND></VL>"), {
      porCodes: ["N013"],
    });
    expect(rows.map((r) => r.ok && r.row.policyNumber)).toEqual(["A-1"]);
    expect(info).toMatchObject({ skippedOtherInsurers: 1, recipients: ["N013", "N777"] });
  });

  describe("refuses whole, with line and column", () => {
    it.each([
      [
        "a DTD with entity declarations (billion laughs)",
        `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><NVGAFilePolis>&lol2;</NVGAFilePolis>`,
        /DTD/,
      ],
      [
        "an external entity",
        `<?xml version="1.0"?><!DOCTYPE r SYSTEM "file:///etc/passwd"><NVGAFilePolis>&xxe;</NVGAFilePolis>`,
        /DTD/,
      ],
      [
        "an undeclared entity",
        file(policy("E-1", { extra: "<PP_STATUS>&xxe;</PP_STATUS>" })),
        /line 6, column \d+: undefined entity/,
      ],
      [
        "a CSV file",
        "polisnummer;achternaam;product;ingangsdatum\nVA-1;Berg;RB;01-01-2023\n",
        /not XML.*format=csv/,
      ],
      [
        "a tag left open",
        `${HEAD}${policy("X-1").replace("</PP_NUMMER>", "")}</NVGAFilePolis>`,
        /malformed at line 6/,
      ],
      ["policies without an AL header", `<NVGAFilePolis>${policy("X-1")}</NVGAFilePolis>`, /without an AL/],
      ["an empty file", "   \n", /empty/],
    ])("%s", async (_what, text, message) => {
      await expect(read(text)).rejects.toMatchObject({
        code: "DELIVERY_REJECTED",
        message: expect.stringMatching(message),
      });
    });

    it("a text or tag running on past the limit, before it is buffered whole", async () => {
      const huge = file(policy("H-1", { extra: `<PP_OMSCHR>${"x".repeat(300_000)}</PP_OMSCHR>` }));
      await expect(read(huge, { maxRecordBytes: 100_000 })).rejects.toMatchObject({
        code: "DELIVERY_REJECTED",
        message: expect.stringMatching(/more than 100000 characters/),
      });
    });
  });

  it("refuses a policy larger than the profile's limit as a row error, and reads the rest", async () => {
    const big = policy("BIG-1", { extra: `<PP_OMSCHR>${"y".repeat(2000)}</PP_OMSCHR>`.repeat(4) });
    const { rows } = await read(file(big, policy("OK-1")), { profile: { ...profile, maxPolicyChars: 4096 } });
    expect(rows.map((r) => (r.ok ? r.row.policyNumber : r.errors[0]!.field))).toEqual(["PP", "OK-1"]);
  });
});

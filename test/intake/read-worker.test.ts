import { describe, expect, it } from "vitest";
import { generatePortfolio, toCsv } from "../../src/demo/generator.ts";
import { toNvgaXml } from "../../src/demo/generator-nvga.ts";
import { AppError } from "../../src/domain/errors.ts";
import { matchKeys } from "../../src/domain/identity.ts";
import type { NvgaFileInfo } from "../../src/ingest/nvga-rows.ts";
import { type ParsedRow, readDelivery } from "../../src/ingest/read-delivery.ts";
import { readDeliveryInWorker } from "../../src/ingest/read-delivery-worker.ts";

const options = { partner: "VOLMACHT-A", format: "csv" as const, profile: "standaard" };

async function* chunks(text: string, size = 64 * 1024): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(rows: AsyncIterable<ParsedRow>): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe("readDeliveryInWorker (big deliveries are parsed on a worker thread)", () => {
  it("yields exactly the rows, line numbers and rejections of the in-thread reader", async () => {
    let csv = [...toCsv(generatePortfolio({ customers: 6000, seed: 7, partners: ["VOLMACHT-A"] }))].join("");
    csv +=
      "BROKEN-1;R1;P;J.;Jan;;Jansen;;;31-02-1980;M;Straat;1;;1234 AB;Stad;NL;;;;RB-PARTICULIER;CONS;01-01-2024;;;actief;RBP-2022;;;N\n";
    const encodings: string[] = [];
    const inWorker = await collect(
      readDeliveryInWorker(chunks(csv), { ...options, onEncoding: (e) => encodings.push(e) }),
    );
    const inThread = await collect(readDelivery(chunks(csv), options));
    expect(inWorker.length).toBeGreaterThan(6000);
    expect(inWorker.map(({ keys: _k, ...r }: ParsedRow & { keys?: string[] }) => r)).toEqual(inThread);
    for (const r of inWorker) if (r.ok) expect(r.keys).toEqual(matchKeys(r.row));
    expect(inWorker.at(-1)?.ok).toBe(false);
    expect(encodings).toEqual(["utf8"]);
  });

  it("reads an NVGA File Polis the same, passing its header and counts on, and its WRONG_RECIPIENT", async () => {
    const rows = generatePortfolio({ customers: 3000, seed: 9, partners: ["VOLMACHT-A"] });
    const xml = [...toNvgaXml(rows, { referenceDate: "2026-10-31", porCode: "N013" })]
      .join("")
      .replace("</PP>\n", "<PP_ONBEKEND>1</PP_ONBEKEND></PP>\n");
    const nvga = { partner: "VOLMACHT-A", format: "nvga-polis" as const, profile: "nvga-polis" };
    const infos: NvgaFileInfo[] = [];
    const inWorker = await collect(
      readDeliveryInWorker(chunks(xml), { ...nvga, onFileInfo: (i) => infos.push(i) }),
    );
    const inThread = await collect(readDelivery(chunks(xml), nvga));
    expect(inWorker.length).toBeGreaterThanOrEqual(3000);
    expect(inWorker.map(({ keys: _k, ...r }: ParsedRow & { keys?: string[] }) => r)).toEqual(inThread);
    // The header before the first row, and the counts at the end.
    expect(infos.map((i) => i.referenceDate)).toEqual(["2026-10-31", "2026-10-31"]);
    expect(infos.at(-1)?.unknownLabels).toEqual({ PP_ONBEKEND: 1 });
    const err = await collect(readDeliveryInWorker(chunks(xml), { ...nvga, porCodes: ["N999"] })).catch(
      (e: unknown) => e,
    );
    expect((err as AppError).code).toBe("WRONG_RECIPIENT");
  });

  it("fails with the same AppError code and message for a file that cannot be read", async () => {
    const bad = "naam;adres\nJan;Straat 1\n";
    const inThread = await collect(readDelivery(chunks(bad), options)).catch((e: unknown) => e);
    const inWorker = await collect(readDeliveryInWorker(chunks(bad), options)).catch((e: unknown) => e);
    expect(inThread).toBeInstanceOf(AppError);
    expect(inWorker).toBeInstanceOf(AppError);
    expect((inWorker as AppError).code).toBe((inThread as AppError).code);
    expect((inWorker as AppError).message).toBe((inThread as AppError).message);
  });

  it("passes on an error of the file source itself", async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield Buffer.from("polisnummer;achternaam\n");
      throw new AppError("NOT_FOUND", "file gone not found");
    }
    const err = await collect(readDeliveryInWorker(failing(), options)).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("NOT_FOUND");
  });

  it("stops the worker when the consumer stops early", async () => {
    const csv = [...toCsv(generatePortfolio({ customers: 3000, seed: 3, partners: ["VOLMACHT-A"] }))].join(
      "",
    );
    let n = 0;
    for await (const _ of readDeliveryInWorker(chunks(csv), options)) if (++n === 10) break;
    expect(n).toBe(10);
  });
});

import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvRecord, CsvRecordError, CsvRecordReader } from "../../src/ingest/csv-records.ts";

/** Reads `text` cut at `cuts` (positions, any order) the way the intake hands it over. */
function read(text: string, delimiter: string, cuts: number[] = [], max = 1 << 20): CsvRecord[] {
  const reader = new CsvRecordReader(delimiter, max);
  const out: CsvRecord[] = [];
  let from = 0;
  for (const at of [...new Set(cuts)].sort((a, b) => a - b)) {
    reader.push(text.slice(from, at), out);
    from = at;
  }
  reader.push(text.slice(from), out);
  reader.end(out);
  return out;
}

/** csv-parse with the options the intake used before this reader, and the line rule it kept. */
function oracle(text: string, delimiter: string): CsvRecord[] {
  const records = parse(text, {
    delimiter,
    record_delimiter: ["\r\n", "\n"],
    relax_column_count: true,
    relax_quotes: true,
  }) as string[][];
  let line = 1;
  return records.map((cells) => {
    const record = { line, cells };
    line += 1 + cells.join("").split("\n").length - 1;
    return record;
  });
}

const errorCode = (f: () => unknown) => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};

describe("CSV records", () => {
  it("reads any text as csv-parse did, however the text is cut", () => {
    const text = fc
      .array(fc.constantFrom("a", "é", " ", ";", ",", '"', '""', "\r", "\n", "\r\n", "="), { maxLength: 40 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.constantFrom(";", ","), fc.array(fc.nat(80), { maxLength: 6 }), (t, d, cuts) => {
        const cutAt = cuts.map((c) => c % (t.length + 1));
        const expectedError = errorCode(() => oracle(t, d));
        if (expectedError) {
          expect(expectedError).toBe("CSV_QUOTE_NOT_CLOSED");
          expect(errorCode(() => read(t, d, cutAt))).toBe("QUOTE_NOT_CLOSED");
        } else {
          expect(read(t, d, cutAt)).toEqual(oracle(t, d));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("relaxed quotes, both line endings and quoted line breaks", () => {
    const text = 'a;"x"y;b"c\r\n"q;\r\nr"s;"t""u"\n\n"v"\r';
    expect(read(text, ";")).toEqual([
      { line: 1, cells: ["a", '"x"y', 'b"c'] },
      { line: 2, cells: ['"q;\r\nr"s', 't"u'] },
      { line: 4, cells: [""] },
      { line: 5, cells: ['"v"\r'] },
    ]);
  });

  it("a quote left open is an error naming the line its record starts on", () => {
    const error = errorCode(() => read('a;b\nc;"d\ne;f\n', ";"));
    expect(error).toBe("QUOTE_NOT_CLOSED");
    try {
      read('a;b\nc;"d\ne;f\n', ";", [5, 9]);
    } catch (e) {
      expect((e as CsvRecordError).line).toBe(2);
    }
  });

  it("a record over the limit fails, whole or still arriving; one at the limit is read", () => {
    const at = `${"x".repeat(10)};${"y".repeat(9)}`; // 20 characters
    expect(read(`h\n${at}\r\nz\n`, ";", [], 20).map((r) => r.cells)).toEqual([
      ["h"],
      ["x".repeat(10), "y".repeat(9)],
      ["z"],
    ]);
    for (const cuts of [[], [3], [5, 12, 20]]) {
      const over = () => read(`h\n${at}y\nz\n`, ";", cuts, 20);
      expect(errorCode(over)).toBe("MAX_RECORD_SIZE");
      expect(() => over()).toThrow(CsvRecordError);
      try {
        over();
      } catch (e) {
        expect((e as CsvRecordError).line).toBe(2);
      }
    }
    // An open quote swallowing the text fails on size before the end is reached.
    const reader = new CsvRecordReader(";", 20);
    const out: CsvRecord[] = [];
    reader.push('a;"b\n', out);
    expect(() => reader.push("c".repeat(30), out)).toThrow(/record too long \(line 1\)/);
  });

  it("a long line of quoted fields with no line break fails on size", () => {
    const line = '"ab";'.repeat(60_000); // 300,000 characters, no line feed
    expect(errorCode(() => read(line, ";", [65_536, 131_072, 196_608, 262_144], 256 * 1024))).toBe(
      "MAX_RECORD_SIZE",
    );
  });

  it("refuses a delimiter it cannot split on", () => {
    for (const d of ['"', "\n", "\r", ";;", ""])
      expect(() => new CsvRecordReader(d, 100)).toThrow(/delimiter/);
  });
});

import { AppError } from "../domain/errors.ts";
import { type CsvRecord, CsvRecordError, CsvRecordReader } from "./csv-records.ts";
import { detectDelimiter, peekFirstLine } from "./delimiter.ts";
import { type MappingProfile, profileDateParser } from "./profile.ts";
import type { ParsedRow } from "./read-delivery.ts";
import { isStandaardColumn, REQUIRED_COLUMNS, type StandaardColumn } from "./standaard-columns.ts";
import { type DateParser, toCanonicalRow } from "./standaard-row.ts";
import { lowerCaseValueMaps, mapValue, type ValueMaps } from "./value-maps.ts";

const reject = (message: string) => new AppError("DELIVERY_REJECTED", message);

/**
 * Reads CSV text (already decoded) as `standaard` rows through a partner profile. Line numbers are
 * the file's own (header = 1); a record with quoted line breaks reports the line it starts on.
 */
export async function* readCsvRows(
  text: AsyncIterable<string>,
  options: { partner: string; profile: MappingProfile; maxRecordBytes: number },
): AsyncGenerator<ParsedRow> {
  const { partner, profile, maxRecordBytes } = options;
  const { line: headerLine, stream } = await peekFirstLine(text, maxRecordBytes);
  if (headerLine.length > maxRecordBytes) {
    throw reject(`the header line is longer than the limit of ${maxRecordBytes} characters`);
  }
  // Excel writes a `sep=;` line before the header when asked to; it names the delimiter.
  const sepHint = /^sep=(.)$/i.exec(headerLine)?.[1];
  let skipSepLine = sepHint !== undefined;
  const hinted = sepHint === ";" || sepHint === "," ? sepHint : null;
  const detected = profile.delimiter ?? (sepHint !== undefined ? hinted : detectDelimiter(headerLine));
  if (!detected) {
    throw reject(
      `the header is one single column (${JSON.stringify(headerLine.slice(0, 60))}): columns must be separated by ";" or ","`,
    );
  }
  const delimiter: string = detected;
  const reader = new CsvRecordReader(delimiter, maxRecordBytes);
  const queue: CsvRecord[] = [];
  const dateParser = profileDateParser(profile);
  const valueMaps = lowerCaseValueMaps(profile.values);
  let columns: Array<StandaardColumn | undefined> | undefined;
  function* drain(): Generator<ParsedRow> {
    for (let i = 0; i < queue.length; i++) {
      const record = queue[i]!;
      if (skipSepLine) {
        skipSepLine = false;
        continue;
      }
      if (!columns) {
        columns = mapHeader(record.cells, profile);
        continue;
      }
      const row = toParsedRow(record.cells, record.line, columns, {
        partner,
        delimiter,
        dateParser,
        valueMaps,
      });
      if (row) yield row;
    }
    queue.length = 0;
  }
  // Records read before a failing one are handed on first: they count, and the error names the line.
  let failure: unknown;
  const read = (step: () => void) => {
    try {
      step();
    } catch (error) {
      failure = translateCsvError(error, maxRecordBytes);
    }
  };
  for await (const chunk of stream) {
    for (let i = 0; i < chunk.length; i += WRITE_SLICE) {
      read(() => reader.push(chunk.slice(i, i + WRITE_SLICE), queue));
      yield* drain();
      if (failure) throw failure;
    }
  }
  read(() => reader.end(queue));
  yield* drain();
  if (failure) throw failure;
  if (!columns) throw reject("the file is empty: expected a header row and delivery rows");
}

/** Text handed to the record reader at once: bounds the records queued between two reads. */
const WRITE_SLICE = 64 * 1024;

/** One data record as a row result; undefined for a blank line. */
function toParsedRow(
  record: string[],
  line: number,
  columns: Array<StandaardColumn | undefined>,
  ctx: { partner: string; delimiter: string; dateParser: DateParser; valueMaps: ValueMaps },
): ParsedRow | undefined {
  if (record.every((cell) => cell.trim() === "")) return undefined;
  const extra = record.slice(columns.length).filter((cell) => cell.trim() !== "");
  if (extra.length > 0) {
    const message = `the row has ${record.length} fields but the header has ${columns.length}; is a value with "${ctx.delimiter}" not quoted?`;
    return { line, ok: false, errors: [{ line, field: "(row)", message }] };
  }
  const cells: Partial<Record<StandaardColumn, string>> = {};
  columns.forEach((col, i) => {
    if (col) cells[col] = mapValue(col, record[i] ?? "", ctx.valueMaps);
  });
  const result = toCanonicalRow(cells, ctx.partner, ctx.dateParser);
  return result.ok
    ? { line, ok: true, row: result.row }
    : { line, ok: false, errors: result.errors.map((e) => ({ line, ...e })) };
}

/** Maps the header's names to standaard columns; rejects a header no row could satisfy. */
function mapHeader(header: string[], profile: MappingProfile): Array<StandaardColumn | undefined> {
  const partnerHeaders = new Map(
    Object.entries(profile.headers).map(([from, to]) => [from.trim().toLowerCase(), to]),
  );
  const seen = new Set<StandaardColumn>();
  const columns = header.map((raw) => {
    const name = raw.trim().toLowerCase();
    const col = partnerHeaders.get(name) ?? (isStandaardColumn(name) ? name : undefined);
    if (col && seen.has(col)) throw reject(`the header names column ${col} twice`);
    if (col) seen.add(col);
    return col;
  });
  if (!seen.has("polisnummer")) {
    throw reject(
      `the header has no polisnummer column${profile.name === "standaard" ? "" : ` (profile ${profile.name})`}`,
    );
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) throw reject(`the header lacks the required column(s) ${missing.join(", ")}`);
  return columns;
}

function translateCsvError(error: unknown, maxRecordBytes: number): unknown {
  if (!(error instanceof CsvRecordError)) return error;
  if (error.code === "MAX_RECORD_SIZE") {
    return new AppError(
      "DELIVERY_REJECTED",
      `the record starting at line ${error.line} is larger than the limit of ${maxRecordBytes} bytes`,
      { cause: error, details: { line: error.line } },
    );
  }
  return new AppError(
    "DELIVERY_REJECTED",
    `a quote opened in the record at line ${error.line} is never closed`,
    { cause: error, details: { line: error.line } },
  );
}

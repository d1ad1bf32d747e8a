import { AppError } from "../../src/domain/errors.ts";
import { type ParsedRow, type ReadOptions, readDelivery } from "../../src/ingest/read-delivery.ts";

/** Feeds bytes as a stream, optionally in small chunks to cross every boundary. */
export async function* bytes(data: string | Uint8Array, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data);
  for (let i = 0; i < buf.length; i += chunkSize) yield buf.subarray(i, i + chunkSize);
}

/** Reads a whole delivery into an array (tests only; real callers stream). */
export async function readAll(
  data: string | Uint8Array,
  options: Partial<ReadOptions> = {},
  chunkSize?: number,
): Promise<ParsedRow[]> {
  const rows: ParsedRow[] = [];
  for await (const row of readDelivery(bytes(data, chunkSize), {
    partner: "VOLMACHT-A",
    format: "csv",
    profile: "standaard",
    ...options,
  })) {
    rows.push(row);
  }
  return rows;
}

/** The AppError a whole-file rejection throws (fails the test when nothing is thrown). */
export async function rejection(
  data: string | Uint8Array,
  options: Partial<ReadOptions> = {},
): Promise<AppError> {
  try {
    await readAll(data, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the delivery to be rejected, but it was read");
}

/** The accepted row, failing the test with its errors otherwise. */
export function accepted(row: ParsedRow | undefined) {
  if (!row) throw new Error("no row");
  if (!row.ok) throw new Error(`row at line ${row.line} rejected: ${JSON.stringify(row.errors)}`);
  return row.row;
}

/** The standaard header with the given columns, and a line builder for them. */
export function csvOf(
  columns: string[],
  rows: Array<Record<string, string>>,
  delimiter = ";",
  eol = "\n",
): string {
  const line = (r: Record<string, string>) => columns.map((c) => r[c] ?? "").join(delimiter);
  return [columns.join(delimiter), ...rows.map(line)].join(eol) + eol;
}

import type { CanonicalRow, Delivery } from "../domain/model.ts";
import { type ParsedRow, readDelivery } from "../ingest/read-delivery.ts";
import type { Store } from "../store/store.ts";

/** What taking a person's rows out of one stored file did. */
export interface Redaction {
  /** Records (rows) taken out. */
  rows: number;
  /** The file could not be redacted: its format has no line per record, or the file is gone. */
  skipped?: "format" | "missing";
}

/** Formats with one record per line (CSV records may span lines; each is cut whole). */
const LINE_FORMATS = new Set<string>(["csv", "jsonl"]);

/** Lines `from` to `to` (1-based, inclusive; `to` Infinity: to the end of the file). */
interface LineRange {
  from: number;
  to: number;
}

/**
 * Takes the accepted rows `belongs` picks out of a delivery's stored file, byte for byte: the file is
 * read through the same reader the intake used (its encoding, delimiter, profile and line numbers),
 * the lines of each picked record are left out, and every other byte — header, other rows, rejected
 * rows, line endings — is written back as delivered: to a file aside, then over the original (SQLite
 * store: written beside and renamed; MongoDB: GridFS deletes, then writes). The delivery's
 * `sha256` stays the original file's, so the same file delivered again is still a duplicate.
 */
export async function redactDelivery(
  store: Store,
  delivery: Delivery,
  belongs: (row: CanonicalRow) => boolean,
  read: typeof readDelivery = readDelivery,
): Promise<Redaction> {
  if (!LINE_FORMATS.has(delivery.format)) return { rows: 0, skipped: "format" };
  if (!(await fileExists(store, delivery.id))) return { rows: 0, skipped: "missing" };

  // Each record runs from its first line to the line before the next record's.
  const starts: number[] = [];
  const picked: boolean[] = [];
  const rows = read(store.readFile(delivery.id), {
    partner: delivery.partner,
    format: delivery.format,
    profile: delivery.profile,
  });
  for await (const r of rows as AsyncIterable<ParsedRow>) {
    starts.push(r.line);
    picked.push(r.ok && belongs(r.row));
  }
  const drop: LineRange[] = [];
  for (let i = 0; i < starts.length; i++)
    if (picked[i]) drop.push({ from: starts[i]!, to: i + 1 < starts.length ? starts[i + 1]! - 1 : Infinity });
  if (drop.length === 0) return { rows: 0 };
  // Written aside first: a store whose write starts by deleting (GridFS) must not read what it deletes.
  const aside = `${delivery.id}_redacted`;
  await store.putFile(aside, withoutLines(store.readFile(delivery.id), drop));
  await store.putFile(delivery.id, store.readFile(aside));
  await store.deleteFile(aside);
  return { rows: drop.length };
}

/** The bytes of `source` without the lines in `drop`, lines split at LF as the readers count them. */
async function* withoutLines(
  source: AsyncIterable<Uint8Array>,
  drop: readonly LineRange[],
): AsyncGenerator<Uint8Array> {
  const dropped = (line: number) => drop.some((r) => line >= r.from && line <= r.to);
  let line = 1;
  for await (const chunk of source) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const kept: Buffer[] = [];
    let start = 0;
    for (;;) {
      const lf = bytes.indexOf(0x0a, start);
      const end = lf < 0 ? bytes.length : lf + 1;
      if (end > start && !dropped(line)) kept.push(bytes.subarray(start, end));
      if (lf < 0) break;
      line++;
      start = end;
    }
    if (kept.length > 0) yield Buffer.concat(kept);
  }
}

/** How many accepted rows of a delivery's stored file `belongs` picks (0 when there is no such file). */
export async function countRows(
  store: Store,
  delivery: Delivery,
  belongs: (row: CanonicalRow) => boolean,
  read: typeof readDelivery = readDelivery,
): Promise<number> {
  if (!LINE_FORMATS.has(delivery.format) || !(await fileExists(store, delivery.id))) return 0;
  let n = 0;
  const rows = read(store.readFile(delivery.id), {
    partner: delivery.partner,
    format: delivery.format,
    profile: delivery.profile,
  });
  for await (const r of rows as AsyncIterable<ParsedRow>) if (r.ok && belongs(r.row)) n++;
  return n;
}

async function fileExists(store: Store, id: string): Promise<boolean> {
  try {
    for await (const _ of store.readFile(id)) break;
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "NOT_FOUND") return false;
    throw err;
  }
}

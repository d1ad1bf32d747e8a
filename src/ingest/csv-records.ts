/**
 * Splits decoded CSV text into records, chunk by chunk. The rules are csv-parse's with the options the
 * intake used (`record_delimiter: ["\r\n", "\n"]`, `relax_quotes`, `relax_column_count`,
 * `max_record_size`), and test/ingest/csv-records.test.ts holds this reader to csv-parse's answers on
 * random text:
 * - a record ends at `\n` or `\r\n`; a lone `\r` is text;
 * - a field that starts with `"` is quoted: `""` inside stands for `"`, delimiters and line breaks are
 *   text, and the closing quote must be followed by a delimiter, a record end or the end of the text;
 * - a quote anywhere else is text, and so is a quoted field whose closing quote is followed by more:
 *   `"ab"c` reads `"ab"c` (the quoted part unescaped, both quotes kept);
 * - a record longer than `maxRecordChars`, or a quote still open at the end, is an error naming the
 *   line the record starts on.
 *
 * Why not csv-parse itself: on one 2-vCPU Xeon (Node 24.21.0, 2026-12-02) it split 300,000 standaard
 * rows (57 MB) in 4.4-8.1 s, this reader in 0.66-0.88 s; in a 1,000,000-row delivery csv-parse was
 * ~15 of the parse worker's ~74 busy seconds, on the two cores the writing thread needs too. papaparse
 * (1.1-1.7 s) and uDSV (0.7-1.0 s) read mixed line endings and relaxed quotes differently from
 * csv-parse (test/ingest/bad-input.test.ts has both), so they would change what a partner's file says.
 */

/** Why a text is not CSV: a quote never closed, or a record over the size limit. */
export class CsvRecordError extends Error {
  readonly code: "QUOTE_NOT_CLOSED" | "MAX_RECORD_SIZE";
  /** Line (1-based) the record starts on. */
  readonly line: number;
  constructor(code: CsvRecordError["code"], line: number) {
    super(code === "QUOTE_NOT_CLOSED" ? `quote not closed (line ${line})` : `record too long (line ${line})`);
    this.code = code;
    this.line = line;
  }
}

/** One record: its cells and the line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** What `quotedField` answers when the text ends before the field does. */
const INCOMPLETE = -1;

/** Reads records out of text handed over in pieces (`push`), then `end`. */
export class CsvRecordReader {
  private readonly delimiter: string;
  private readonly delimiterCode: number;
  private readonly maxRecordChars: number;
  /** Text of the record not yet complete. */
  private rest = "";
  /** Line the first character of `rest` is on. */
  private line = 1;
  // The text being scanned, and the first delimiter and line feed at or after the last place looked.
  private text = "";
  private nextDelimiter = -1;
  private nextLf = -1;
  /** Line feeds inside the last quoted field read. */
  private quotedBreaks = 0;

  constructor(delimiter: string, maxRecordChars: number) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r")
      throw new Error(`unusable CSV delimiter ${JSON.stringify(delimiter)}`);
    this.delimiter = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
    this.maxRecordChars = maxRecordChars;
  }

  /** Appends the records `text` completes to `out`. */
  push(text: string, out: CsvRecord[]): void {
    this.scan(this.rest.length > 0 ? this.rest + text : text, false, out);
  }

  /** Appends the last record (one not ended by a line break) to `out`; throws if a quote is still open. */
  end(out: CsvRecord[]): void {
    if (this.rest.length > 0) this.scan(this.rest, true, out);
    this.rest = "";
  }

  private scan(text: string, final: boolean, out: CsvRecord[]): void {
    this.text = text;
    this.nextDelimiter = -1;
    this.nextLf = -1;
    const n = text.length;
    let pos = 0;
    let line = this.line;
    while (pos < n) {
      const cells: string[] = [];
      let p = pos;
      let breaks = 0;
      // Characters of the record's line break: the record is complete once this is set.
      let ending = -1;
      for (;;) {
        let stop: number;
        if (text.charCodeAt(p) === QUOTE) {
          stop = this.quotedField(p, final, cells);
          if (stop === INCOMPLETE) break;
          breaks += this.quotedBreaks;
        } else {
          stop = this.fieldEnd(p);
          if (stop === n && !final) break;
          cells.push(text.slice(p, stop > p && this.crlfAt(stop - 1) ? stop - 1 : stop));
        }
        if (stop === n) {
          ending = 0;
          break;
        }
        if (text.charCodeAt(stop) === this.delimiterCode) {
          p = stop + 1;
          if (p < n) continue;
          if (!final) break;
          cells.push("");
          ending = 0;
          break;
        }
        // A line feed; a `\r` before it was left out of the field above.
        ending = this.crlfAt(stop - 1) ? 2 : 1;
        breaks++;
        p = stop + 1;
        break;
      }
      if (ending < 0) {
        if (n - pos > this.maxRecordChars) throw new CsvRecordError("MAX_RECORD_SIZE", line);
        if (final) throw new CsvRecordError("QUOTE_NOT_CLOSED", line);
        break;
      }
      if (ending === 0) p = n;
      if (p - pos - ending > this.maxRecordChars) throw new CsvRecordError("MAX_RECORD_SIZE", line);
      out.push({ line, cells });
      line += breaks;
      pos = p;
    }
    this.rest = pos < n ? text.slice(pos) : "";
    this.line = line;
    this.text = "";
  }

  /** Whether a `\r\n` starts at `i`. */
  private crlfAt(i: number): boolean {
    return this.text.charCodeAt(i) === CR && this.text.charCodeAt(i + 1) === LF;
  }

  /** Where the unquoted text from `p` ends: at a delimiter, a line feed, or the end of the text. */
  private fieldEnd(p: number): number {
    const text = this.text;
    // Each search is kept until passed: a text with no delimiter left is not searched again per field.
    if (this.nextDelimiter < p) {
      const d = text.indexOf(this.delimiter, p);
      this.nextDelimiter = d < 0 ? text.length : d;
    }
    if (this.nextLf < p) {
      const f = text.indexOf("\n", p);
      this.nextLf = f < 0 ? text.length : f;
    }
    return Math.min(this.nextDelimiter, this.nextLf);
  }

  /**
   * Reads the quoted field at `p` into `cells`; answers where it stops (a delimiter, a line feed or
   * the end of the text), or INCOMPLETE when the text ends before it can tell.
   */
  private quotedField(p: number, final: boolean, cells: string[]): number {
    const text = this.text;
    const n = text.length;
    let value = "";
    let from = p + 1;
    let breaks = 0;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close < 0) return INCOMPLETE;
      // Line feeds counted within the quoted part only: a search of the whole text would run to the
      // next line feed for every quoted field of a long line.
      const part = text.slice(from, close);
      for (let i = part.indexOf("\n"); i >= 0; i = part.indexOf("\n", i + 1)) breaks++;
      value += part;
      const after = close + 1;
      const c = text.charCodeAt(after);
      if (c === QUOTE) {
        value += '"';
        from = after + 1;
        continue;
      }
      // Whether the closing quote ends the field: only the next character can tell (a `\r` that
      // ends the text is read on below, as text after the quote, until the text goes on).
      if (after === n) {
        if (!final) return INCOMPLETE;
        cells.push(value);
        this.quotedBreaks = breaks;
        return n;
      }
      if (c === this.delimiterCode || c === LF || this.crlfAt(after)) {
        cells.push(value);
        this.quotedBreaks = breaks;
        return c === CR ? after + 1 : after;
      }
      // Text after the closing quote: the field is read as written, up to its delimiter or line end.
      const stop = this.fieldEnd(after);
      if (stop === n && !final) return INCOMPLETE;
      cells.push(`"${value}"${text.slice(after, this.crlfAt(stop - 1) ? stop - 1 : stop)}`);
      this.quotedBreaks = breaks;
      return stop;
    }
  }
}

import iconv from "iconv-lite";
import { AppError } from "../domain/errors.ts";

/** The encodings a delivery may use (contract: UTF-8 with or without BOM, or Windows-1252). */
export type DeliveryEncoding = "utf8" | "windows1252";

/** How much of the file is inspected for the binary and empty-file checks. */
const PROBE_BYTES = 64 * 1024;
/** Bytes after the first non-ASCII byte that settle the encoding. */
const DECIDE_BYTES = 4096;
/** Code points Windows-1252 leaves undefined: seeing them in a non-UTF-8 file means it is not text. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

const reject = (message: string) => new AppError("DELIVERY_REJECTED", message);

/**
 * Decodes a delivery's bytes to text as a stream. The encoding is decided on the first non-ASCII bytes
 * (valid UTF-8 → UTF-8, else Windows-1252), so a file whose first megabytes are plain ASCII is still
 * read right. Throws DELIVERY_REJECTED for an empty, UTF-16 or binary file before yielding any text.
 */
export async function* decodeDelivery(
  source: AsyncIterable<Uint8Array>,
  onEncoding?: (encoding: DeliveryEncoding) => void,
): AsyncGenerator<string> {
  const iterator = source[Symbol.asyncIterator]();
  let probe = Buffer.alloc(0);
  let done = false;
  while (probe.length < PROBE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    probe = Buffer.concat([probe, next.value]);
  }
  checkProbe(probe);

  let pending = probe[0] === 0xef && probe[1] === 0xbb && probe[2] === 0xbf ? probe.subarray(3) : probe;
  let decoder: ReturnType<typeof iconv.getDecoder> | undefined;
  const feed = function* (atEnd: boolean): Generator<string> {
    if (decoder) {
      const text = decoder.write(pending);
      pending = Buffer.alloc(0);
      if (text) yield text;
      return;
    }
    const firstHigh = pending.findIndex((b) => b >= 0x80);
    if (firstHigh < 0) {
      // Pure ASCII reads the same in both encodings; keep the decision for later.
      if (pending.length > 0) yield pending.toString("latin1");
      pending = Buffer.alloc(0);
      return;
    }
    if (!atEnd && pending.length - firstHigh < DECIDE_BYTES) return;
    const encoding = detectEncoding(pending.subarray(firstHigh), atEnd);
    onEncoding?.(encoding);
    decoder = iconv.getDecoder(encoding, { stripBOM: false });
    yield* feed(atEnd);
  };

  yield* feed(done);
  while (!done) {
    const next = await iterator.next();
    if (next.done) break;
    pending = pending.length > 0 ? Buffer.concat([pending, next.value]) : Buffer.from(next.value);
    yield* feed(false);
  }
  yield* feed(true);
  if (!decoder) onEncoding?.("utf8");
  const rest = decoder?.end();
  if (rest) yield rest;
}

/** Rejects what is not a text delivery at all, looking only at the first block. */
function checkProbe(probe: Buffer): void {
  const bom = probe[0] === 0xef && probe[1] === 0xbb && probe[2] === 0xbf ? 3 : 0;
  if (probe.subarray(bom).every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) {
    throw reject("the file is empty: expected a header row and delivery rows");
  }
  if ((probe[0] === 0xff && probe[1] === 0xfe) || (probe[0] === 0xfe && probe[1] === 0xff)) {
    throw reject("the file is UTF-16 encoded; deliver it as UTF-8 or Windows-1252 text");
  }
  let controls = 0;
  for (const b of probe) {
    if (b === 0)
      throw reject("the file is binary (it contains NUL bytes), not a CSV or JSON Lines text file");
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a) controls++;
  }
  if (controls > probe.length / 100) {
    throw reject("the file is binary (it contains control characters), not a CSV or JSON Lines text file");
  }
  const firstHigh = probe.findIndex((b) => b >= 0x80);
  if (firstHigh >= 0 && detectEncoding(probe.subarray(firstHigh), false) === "windows1252") {
    if (probe.some((b) => CP1252_UNDEFINED.has(b))) {
      throw reject("the file is binary: it is neither UTF-8 nor Windows-1252 text");
    }
  }
}

/**
 * Chooses the encoding from bytes starting at the first non-ASCII one: UTF-8 when the block is valid
 * UTF-8, or when its well-formed multi-byte characters outnumber the stray bytes (a UTF-8 file with one
 * damaged byte stays UTF-8, and that cell is reported). Windows-1252 text rarely forms UTF-8 sequences.
 */
export function detectEncoding(bytes: Uint8Array, atEnd: boolean): DeliveryEncoding {
  if (isUtf8(bytes, atEnd)) return "utf8";
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 1) {
      i++;
      continue;
    }
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += length;
    } else {
      invalid++;
      i++;
    }
  }
  return valid > 0 && valid >= invalid ? "utf8" : "windows1252";
}

function isUtf8(bytes: Uint8Array, atEnd: boolean): boolean {
  try {
    // `stream` tolerates a multi-byte character cut off at the end of the block.
    new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: !atEnd });
    return true;
  } catch {
    return false;
  }
}

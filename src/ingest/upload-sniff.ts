import { AppError } from "../domain/errors.ts";

/** How much of an upload is looked at before anything is stored. */
export const SNIFF_BYTES = 64 * 1024;

const reject = (message: string) => new AppError("DELIVERY_REJECTED", message);

/** Magic numbers of the compressed and archive formats an upload might come in. */
const COMPRESSED: ReadonlyArray<[string, number[]]> = [
  ["gzip", [0x1f, 0x8b]],
  ["zip", [0x50, 0x4b, 0x03, 0x04]],
  ["bzip2", [0x42, 0x5a, 0x68]],
  ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ["7z", [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
];

/**
 * Checks the head of an upload before a byte of it is stored: a compressed file is refused outright
 * (never inflated, so a zip bomb costs nothing), and a file declared an NVGA File Polis must look
 * like one: XML, without a DTD or entity declarations, and — when our POR codes are known and the
 * head names the file's insurers — meant for us (WRONG_RECIPIENT otherwise). The reader checks all of
 * this again over the whole file; this only answers the common mistakes at once.
 */
export function checkUploadHead(whole: Uint8Array, format: string, porCodes: readonly string[]): void {
  const head = whole.subarray(0, SNIFF_BYTES);
  for (const [name, magic] of COMPRESSED) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b))
      throw reject(
        `the file is compressed (${name}); compressed uploads are not accepted: deliver the file itself`,
      );
  }
  if (format !== "nvga-polis") return;
  // Latin-1 keeps every byte one character: the checks only look at ASCII markup.
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString("latin1");
  const start = text.replace(/^(\xef\xbb\xbf)?\s*/, "");
  if (start === "") return; // empty: the reader says so
  if (!start.startsWith("<"))
    throw reject(
      `not XML: an NVGA File Polis starts with "<", this file with ${JSON.stringify(start.slice(0, 30))}; a CSV file is delivered with format=csv`,
    );
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw reject("the file has a DTD or entity declarations (<!DOCTYPE, <!ENTITY); they are not accepted");
  if (porCodes.length === 0) return;
  // The VL entities (the insurers) all come before the first policy; only then is the list complete.
  const firstPolicy = text.search(/<(?:[\w.-]+:)?PP[\s>]/);
  if (firstPolicy < 0) return;
  const recipients = [
    ...text.slice(0, firstPolicy).matchAll(/<(?:[\w.-]+:)?VL_MYAAND>\s*([^<\s]+)\s*</g),
  ].map((m) => m[1]!);
  if (recipients.length > 0 && !recipients.some((r) => porCodes.includes(r)))
    throw new AppError(
      "WRONG_RECIPIENT",
      `the file is for insurer ${recipients.join(", ")} (VL_MYAAND), not for us (${porCodes.join(", ")})`,
      { details: { recipients } },
    );
}

/** Reads the first `bytes` of a stream (or all of a shorter one) and gives back the head and the whole stream. */
export async function peekHead(
  body: AsyncIterable<Uint8Array>,
  bytes = SNIFF_BYTES,
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.byteLength;
  }
  const head = Buffer.concat(chunks);
  async function* stream(): AsyncIterable<Uint8Array> {
    for (const c of chunks) yield c;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, stream: stream() };
}

import { Readable } from "node:stream";

/** Wraps chunks in a readable stream that counts the bytes passing through; read `bytes()` after the pipe. */
export function countingStream(chunks: AsyncIterable<Uint8Array>): { stream: Readable; bytes: () => number } {
  let bytes = 0;
  const stream = Readable.from(
    (async function* () {
      for await (const chunk of chunks) {
        bytes += chunk.byteLength;
        yield chunk;
      }
    })(),
  );
  return { stream, bytes: () => bytes };
}

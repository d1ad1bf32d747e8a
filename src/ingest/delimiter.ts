/** The field delimiters the `standaard` profile allows. */
export type Delimiter = ";" | ",";

/**
 * Detects the delimiter from a header line: whichever of `;` and `,` occurs more often outside quoted
 * parts. Null when neither occurs, i.e. the header is one single column (a tab or other delimiter).
 */
export function detectDelimiter(headerLine: string): Delimiter | null {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ";") semicolons++;
    else if (!quoted && ch === ",") commas++;
  }
  if (semicolons === 0 && commas === 0) return null;
  return semicolons >= commas ? ";" : ",";
}

/** Takes the first line off a text stream: the line (without its line break) and the whole stream again. */
export async function peekFirstLine(
  text: AsyncIterable<string>,
  maxChars: number,
): Promise<{ line: string; stream: AsyncIterable<string> }> {
  const iterator = text[Symbol.asyncIterator]();
  let head = "";
  let exhausted = false;
  while (!head.includes("\n") && head.length <= maxChars) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    head += next.value;
  }
  const end = head.indexOf("\n");
  const line = (end < 0 ? head : head.slice(0, end)).replace(/\r$/, "");
  async function* replay(): AsyncGenerator<string> {
    if (head) yield head;
    if (exhausted) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { line: line.length > maxChars ? line.slice(0, maxChars + 1) : line, stream: replay() };
}

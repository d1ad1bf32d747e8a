import { AppError } from "../domain/errors.ts";
import { CanonicalRow } from "../domain/model.ts";
import { normaliseDutchPostcode } from "../domain/normalise/postcode.ts";
import type { ParsedRow } from "./read-delivery.ts";

/** A JSON Lines row: the canonical model without `partner` (the delivery says whose rows they are). */
export const JsonlRow = CanonicalRow.omit({ partner: true });

/** Splits a text stream into lines with their 1-based numbers, refusing a line over the limit. */
export async function* textLines(
  text: AsyncIterable<string>,
  maxChars: number,
): AsyncGenerator<{ line: number; text: string }> {
  let buffer = "";
  let line = 0;
  for await (const chunk of text) {
    buffer += chunk;
    let start = 0;
    for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n", start)) {
      if (end - start > maxChars) throw tooLarge(line + 1, maxChars);
      yield { line: ++line, text: buffer.slice(start, end).replace(/\r$/, "") };
      start = end + 1;
    }
    buffer = buffer.slice(start);
    if (buffer.length > maxChars) throw tooLarge(line + 1, maxChars);
  }
  if (buffer.length > 0) yield { line: ++line, text: buffer.replace(/\r$/, "") };
}

function tooLarge(line: number, maxChars: number): AppError {
  return new AppError(
    "DELIVERY_REJECTED",
    `the record starting at line ${line} is larger than the limit of ${maxChars} bytes`,
    {
      details: { line },
    },
  );
}

/** Reads JSON Lines of the canonical model; each bad line is a row error with the field's path. */
export async function* readJsonlRows(
  text: AsyncIterable<string>,
  options: { partner: string; maxRecordBytes: number },
): AsyncGenerator<ParsedRow> {
  for await (const { line, text: lineText } of textLines(text, options.maxRecordBytes)) {
    if (lineText.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(lineText);
    } catch (error) {
      yield {
        line,
        ok: false,
        errors: [{ line, field: "(line)", message: `not JSON: ${(error as Error).message}` }],
      };
      continue;
    }
    const parsed = JsonlRow.safeParse(json);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => ({
        line,
        field: issue.path.length > 0 ? issue.path.join(".") : "(line)",
        message: issue.message,
      }));
      yield { line, ok: false, errors };
      continue;
    }
    const row: CanonicalRow = { partner: options.partner, ...parsed.data };
    const postcode = row.address.postcode;
    if (postcode && row.address.country === "NL") {
      const dutch = normaliseDutchPostcode(postcode);
      if (!dutch) {
        yield {
          line,
          ok: false,
          errors: [
            { line, field: "address.postcode", message: `"${postcode}" is not a Dutch postcode (1234 AB)` },
          ],
        };
        continue;
      }
      row.address.postcode = dutch;
    }
    yield { line, ok: true, row };
  }
}

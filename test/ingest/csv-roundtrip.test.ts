import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvLine } from "../../src/demo/generator.ts";
import { squash } from "../../src/domain/normalise/text.ts";
import { STANDAARD_COLUMNS } from "../../src/ingest/standaard-columns.ts";
import { accepted, readAll } from "./support.ts";

const cell = fc.string({
  unit: fc.constantFrom("a", "Z", "ë", "€", " ", ";", ",", '"', "\n", "\r\n", "=", "+", "@", "(", "'", "1"),
  maxLength: 30,
});

describe("CSV written with quoting reads back verbatim", () => {
  it("any street text (delimiters, quotes, line breaks, formulas) and the line numbers after it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(cell, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(";", ","),
        async (streets, delimiter) => {
          const header = STANDAARD_COLUMNS.join(delimiter);
          const lines = streets.map((straat, i) =>
            csvLine(
              {
                polisnummer: `P${i}`,
                achternaam: "Jansen",
                product: "RB-PARTICULIER",
                ingangsdatum: "2024-01-01",
                straat,
              },
              delimiter,
            ),
          );
          const rows = await readAll(`${header}\r\n${lines.join("\r\n")}\r\n`);
          expect(rows).toHaveLength(streets.length);
          let line = 2;
          rows.forEach((row, i) => {
            expect(row.line).toBe(line);
            expect(accepted(row).address.street).toBe(squash(streets[i]!) || undefined);
            line += 1 + (streets[i]!.match(/\n/g)?.length ?? 0);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

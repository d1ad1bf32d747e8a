import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileDateFormat } from "./date-format.ts";

describe("compileDateFormat", () => {
  it.each([
    ["dd.MM.yyyy", "03.04.1975", "1975-04-03"],
    ["d-M-yyyy", "3-4-1975", "1975-04-03"],
    ["MM/dd/yyyy", "04/03/1975", "1975-04-03"],
    ["yyyyMMdd", "19750403", "1975-04-03"],
    ["dd.MM.yyyy", "3-4-1975", null],
    ["dd.MM.yyyy", "31.02.1975", null],
    ["MM/dd/yyyy", "13/01/1975", null],
  ])("%s reads %s as %s", (format, input, expected) =>
    expect(compileDateFormat(format)!(input)).toBe(expected),
  );

  it.each(["yyyy", "dd-MM", "dd-MM-yyyy-dd", "dd MMM yyyy", "EEEE"])("refuses the format %s", (format) =>
    expect(compileDateFormat(format)).toBeNull(),
  );

  it("round-trips every date through a fixed notation", () => {
    const read = compileDateFormat("dd.MM.yyyy")!;
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2199-12-31"), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, day] = iso.split("-");
          expect(read(`${day}.${m}.${y}`)).toBe(iso);
        },
      ),
    );
  });
});

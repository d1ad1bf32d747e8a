import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PLACE_ALIASES, placeKey } from "./place.ts";

describe("placeKey: one key for every common way of writing a Dutch place", () => {
  it.each([
    ["'s-Gravenhage", "sgravenhage"],
    ["s Gravenhage", "sgravenhage"],
    ["'s Gravenhage", "sgravenhage"],
    ["S-GRAVENHAGE", "sgravenhage"],
    ["Den Haag", "sgravenhage"],
    ["den  haag", "sgravenhage"],
    ["'s-Hertogenbosch", "shertogenbosch"],
    ["Den Bosch", "shertogenbosch"],
    ["IJsselstein", "ijsselstein"],
    ["Ijsselstein", "ijsselstein"],
    ["Alphen a/d Rijn", "alphenaandenrijn"],
    ["Alphen aan den Rijn", "alphenaandenrijn"],
    ["Hengelo (O)", "hengelo"],
    ["Zoetermeer", "zoetermeer"],
  ])("%s → %s", (name, key) => expect(placeKey(name)).toBe(key));

  it("keeps places apart that only share words", () => {
    expect(placeKey("Den Helder")).not.toBe(placeKey("Helden"));
    expect(placeKey("Bergen")).not.toBe(placeKey("Bergen op Zoom"));
  });

  it("maps every alias to a key that is no alias itself", () => {
    for (const official of Object.values(PLACE_ALIASES)) expect(PLACE_ALIASES[official]).toBeUndefined();
  });

  it("ignores case, diacritics, spaces, hyphens and apostrophes", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z]{3,12}$/),
        fc.constantFrom("", " ", "-", "'"),
        fc.boolean(),
        (word, sep, upper) => {
          const written = `${word.slice(0, 2)}${sep}${word.slice(2)}`;
          expect(placeKey(upper ? written.toUpperCase() : written)).toBe(placeKey(word));
        },
      ),
    );
  });
});

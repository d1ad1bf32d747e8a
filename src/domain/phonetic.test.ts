import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dutchPhonetic } from "./phonetic.ts";

describe("dutchPhonetic: spellings a caller cannot tell apart share a key", () => {
  it.each([
    ["Meijer", "Meyer", "Mijer", "Meier"],
    ["Jansen", "Janssen", "Jansen"],
    ["Smit", "Smid", "Schmidt", "Smidt"],
    ["Bruijn", "Bruin", "Bruyn"],
    ["Hendriks", "Hendrickx", "Henderiks", "Hendrix"],
    ["Philips", "Filips", "Phillips"],
    ["Claassen", "Klaasen", "Claasen"],
    ["Peeters", "Peters"],
    ["Cornelissen", "Kornelisen"],
    ["Brandt", "Brand", "Brant"],
    ["Thijs", "Tijs", "Theijs"],
    ["Bosch", "Bos"],
    ["Van Dijk", "Van Dyk", "Vandijk"],
    ["Vries", "Fries"],
    ["Zwart", "Swart"],
    ["Claes", "Klaas"],
    ["Bouwman", "Bauman"],
    ["Bakker", "Backer"],
  ])("%s sounds like the others in its row", (...names) => {
    const keys = new Set(names.map(dutchPhonetic));
    expect([...keys]).toHaveLength(1);
  });

  it.each([
    ["Bakker", "Visser"],
    ["Bos", "Vos"],
    ["Smit", "Smits"],
    ["Jansen", "Jansens"],
    ["Bakker", "Becker"],
    ["Meijer", "Mulder"],
    ["de Jong", "de Groot"],
    ["Visser", "Vermeulen"],
    ["Dijkstra", "Dekker"],
  ])("%s and %s stay apart", (a, b) => {
    expect(dutchPhonetic(a)).not.toBe(dutchPhonetic(b));
  });
});

describe("dutchPhonetic: properties", () => {
  const word = fc.string({
    unit: fc.constantFrom(..."abcdeghijklmnopqrstuvwxyzäéëïöüçAEIJOUY-' "),
    maxLength: 16,
  });

  it("the key of a key is the key", () => {
    fc.assert(
      fc.property(word, (w) => dutchPhonetic(dutchPhonetic(w)) === dutchPhonetic(w)),
      { numRuns: 2000 },
    );
  });

  it("case and diacritics do not matter", () => {
    const strip = (s: string) => s.normalize("NFKD").replace(/\p{M}+/gu, "");
    fc.assert(
      fc.property(word, (w) => {
        const k = dutchPhonetic(w);
        return dutchPhonetic(w.toUpperCase()) === k && dutchPhonetic(strip(w)) === k;
      }),
      { numRuns: 1000 },
    );
  });

  it("keys are short lower-case letters, never longer than twice the word", () => {
    fc.assert(
      fc.property(word, (w) => {
        const k = dutchPhonetic(w);
        return /^[a-z]*$/.test(k) && k.length <= 2 * w.length;
      }),
    );
  });
});

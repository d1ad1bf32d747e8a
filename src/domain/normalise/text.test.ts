import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold, foldedWords, squash } from "./text.ts";

describe("fold", () => {
  it.each([
    ["Çelik", "celik"],
    ["Zoë", "zoe"],
    ["Anaïs", "anais"],
    ["Yılmaz", "yilmaz"],
    ["Öztürk", "ozturk"],
    ["Şahin", "sahin"],
    ["Doğan", "dogan"],
    ["Wiśniewski", "wisniewski"],
    ["Ødegaard", "odegaard"],
    ["Müller", "muller"],
    ["Strauß", "strauss"],
    ["İNCE", "ince"],
    ["ĲSSELMUIDEN", "ijsselmuiden"],
    ["van der Berg", "van der berg"],
  ])("%s → %s", (input, expected) => expect(fold(input)).toBe(expected));

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        expect(fold(fold(s))).toBe(fold(s));
      }),
    );
  });

  it("folds ASCII text (the shortcut) as it folds the same text with a non-ASCII letter beside it", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii" }), (s) => {
        expect(`${fold(s)}e`).toBe(fold(`${s}é`));
        expect(`e${fold(s)}`).toBe(fold(`É${s}`));
      }),
    );
  });
});

describe("squash and foldedWords", () => {
  it("collapses whitespace", () => expect(squash("  van  der\tBerg \n")).toBe("van der Berg"));
  it("splits on punctuation", () => expect(foldedWords("'s-Hertogenbosch")).toEqual(["s", "hertogenbosch"]));
  it("squash is idempotent", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(squash(squash(s))).toBe(squash(s));
      }),
    );
  });
  it("squash leaves text with single spaces between words as it is, and collapses every other whitespace", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ minLength: 1, maxLength: 5 }),
            fc.constantFrom(" ", "  ", "\t", "\u00a0", "\n", "\u2003"),
          ),
        ),
        (parts) => {
          const s = parts.join("");
          const squashed = squash(s);
          expect(squashed).toBe(s.split(/\s+/).filter(Boolean).join(" "));
        },
      ),
    );
  });
});

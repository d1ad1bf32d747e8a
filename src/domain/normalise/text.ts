/** Any UTF-16 code unit outside ASCII (surrogates included). */
const NON_ASCII = /[\u0080-\uffff]/;

/** Folds text for matching: lower case, diacritics removed (`Çelik` → `celik`), `ß` → `ss`, `ı` → `i`. */
export function fold(text: string): string {
  // Most delivered text is ASCII, where NFKD, marks and the letters below do not occur: lower case
  // is all there is to do (a delivery's parse spent ~6 % of its CPU here before this shortcut).
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  // Lower case first so that letters whose lower case decomposes (`İ`) lose their marks too.
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/\p{M}+/gu, "")
      // Compatibility forms can decompose to capitals (`㎀` → `pA`).
      .toLowerCase()
      .replace(/ß/g, "ss")
      .replace(/ı/g, "i")
      .replace(/ł/g, "l")
      .replace(/đ/g, "d")
      .replace(/æ/g, "ae")
      .replace(/ø/g, "o")
      .replace(/ĳ/g, "ij")
  );
}

/** Whitespace that `squash` changes: any but a single space between words. */
const UNSQUASHED = /[^\S ]| {2}|^ | $/;

/** Collapses runs of whitespace to one space and trims. */
export function squash(text: string): string {
  if (!UNSQUASHED.test(text)) return text;
  return text.replace(/\s+/g, " ").trim();
}

/** Folded words of a text: letters and digits only, split on anything else (`'s-Hertogenbosch` → `s hertogenbosch`). */
export function foldedWords(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

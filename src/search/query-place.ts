import { MAX_PLACE_WORDS, type Place, type PlaceNames } from "./place-names.ts";
import { tvOf } from "./query-codes.ts";

/** A place recognised among the tokens of the free-text box: tokens [start, end). */
export interface FoundPlace {
  start: number;
  end: number;
  place: Place;
  /** Whether the place is all the box holds (its words then stay names too). */
  alone: boolean;
}

// A token that can be part of a place name: letters with apostrophes, dots or `a/d`.
const PLACE_WORD = /^[\p{L}'’./]*\p{L}[\p{L}'’./]*$/u;

/**
 * The place named among `tokens`, if any: the longest run of words that names a known place exactly
 * (in any notation or by another name), else one or two words ending the box that name one place
 * with a typing error (`place.typo`). A run right after a tussenvoegsel is a surname (`van Deventer`,
 * `de Vries`), and a mistyped place needs another name word before it.
 */
export function findPlace(tokens: readonly string[], places: PlaceNames): FoundPlace | undefined {
  const words = tokens.map((t) => PLACE_WORD.test(t));
  const afterTv = (i: number) => i > 0 && tvOf(tokens[i - 1]!) !== undefined && words[i - 1]!;
  const span = (i: number, k: number) => {
    for (let j = i; j < i + k; j++) if (!words[j]) return undefined;
    return tokens.slice(i, i + k).join(" ");
  };
  const nameWords = words.filter(Boolean).length;
  for (let k = Math.min(MAX_PLACE_WORDS, tokens.length); k >= 1; k--) {
    // Later runs first: agents name the city last more often than first.
    for (let i = tokens.length - k; i >= 0; i--) {
      const text = span(i, k);
      if (text === undefined || afterTv(i)) continue;
      // A lone tussenvoegsel-like word (`de`, `ten`) or a word of two letters is never a place by itself.
      if (k === 1 && (tvOf(text) || text.length < 3)) continue;
      const place = places.find(text);
      if (place) return { start: i, end: i + k, place, alone: k === tokens.length };
    }
  }
  // A mistyped place: the last words of the box, after at least one other name word. (A surname
  // one letter from a place, `Heerden` for `Heerlen`, is seldom typed last: a date or postcode
  // follows it, or `, van`.)
  for (const k of [2, 1]) {
    const i = tokens.length - k;
    if (nameWords <= k || i < 0) continue;
    const text = span(i, k);
    // Of the tussenvoegsel-like words only `den` starts a place (`Den Haag`, `Den Helder`).
    const tv = tvOf(tokens[i]!);
    if (text === undefined || afterTv(i) || (tv && !(k === 2 && tv === "den"))) continue;
    const place = places.findLoose(text);
    if (place) return { start: i, end: i + k, place, alone: false };
  }
  return undefined;
}

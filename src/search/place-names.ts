import { PLACE_ALIASES, placeKey } from "../domain/normalise/place.ts";
import { fold } from "../domain/normalise/text.ts";
import { editDistance } from "./similarity.ts";

/** A place an agent typed, as the data knows it. */
export interface Place {
  /** `placeKey` of the place (`sgravenhage`). */
  key: string;
  /** Every way the data spells it, as the search documents hold it (`'s-gravenhage`, `den haag`). */
  values: string[];
  /** Whether it was recognised despite a typing error (`Amsterdm`). */
  typo: boolean;
}

const letters = (text: string) => fold(text).replace(/[^a-z0-9]/g, "");

/**
 * A place name as written, for telling notations apart: folded, letters, digits and apostrophes
 * (`'S-GRAVENHAGE` → `'sgravenhage`, `s-Gravenhage` → `sgravenhage`, `Den Haag` → `denhaag`).
 */
export const placeNotation = (text: string) =>
  fold(text)
    .replace(/’/g, "'")
    .replace(/[^a-z0-9']/g, "");

/** Most words a place name in the data may have for it to be recognised in free text. */
export const MAX_PLACE_WORDS = 4;

// Shortest key a typing error is forgiven in: `Assen` one letter off is the surname `Essen`.
const MIN_TYPO_KEY = 6;
const typoBudget = (length: number) => (length < MIN_TYPO_KEY ? 0 : length < 9 ? 1 : 2);

/**
 * The place names an agent may type, built from the cities in the data (as search documents hold
 * them, folded) plus the well-known other names of PLACE_ALIASES: recognises a place in any common
 * notation, an alias, or with one typing error past the first letter (two in long names) when only
 * one place is that close.
 */
export class PlaceNames {
  private readonly byKey = new Map<string, string[]>();
  private readonly aliasesOf = new Map<string, string[]>();
  /** Per place key: the letters of its key, its other names and every notation the data holds. */
  private readonly forms = new Map<string, string[]>();

  /** `cities`: the distinct city values of the search documents. */
  constructor(cities: Iterable<string>) {
    for (const city of cities) {
      const key = placeKey(city);
      if (key.length < 2) continue;
      const values = this.byKey.get(key);
      if (values) {
        if (!values.includes(city)) values.push(city);
      } else this.byKey.set(key, [city]);
    }
    for (const [alias, official] of Object.entries(PLACE_ALIASES)) {
      if (!this.byKey.has(official)) continue;
      const list = this.aliasesOf.get(official) ?? [];
      list.push(alias);
      this.aliasesOf.set(official, list);
    }
    for (const [key, values] of this.byKey)
      this.forms.set(key, [
        ...new Set([
          key,
          ...(this.aliasesOf.get(key) ?? []),
          ...values.map(letters),
          ...values.map(placeNotation),
        ]),
      ]);
  }

  /** Number of distinct places known. */
  get size(): number {
    return this.byKey.size;
  }

  /** The place these words name exactly (in any notation or by a well-known other name). */
  find(text: string): Place | undefined {
    const key = placeKey(text);
    const values = this.byKey.get(key);
    return values ? { key, values, typo: false } : undefined;
  }

  /**
   * The places whose name starts with these letters, in the data's notation or by a well-known other
   * name (`den h` → `'s-Gravenhage`, `Den Helder`): a place still being typed. Letters and digits
   * count (`'s-g`, `s g`, `sg` start the same places); an apostrophe alone starts the places the
   * data writes with one (`'s-Gravenhage`).
   */
  startingWith(text: string): string[] {
    const typed = letters(text) || placeNotation(text);
    if (typed.length === 0) return [];
    const out: string[] = [];
    for (const [key, forms] of this.forms) if (forms.some((f) => f.startsWith(typed))) out.push(key);
    return out;
  }

  /** The one place these words name with a typing error, if only one is that close. */
  findLoose(text: string): Place | undefined {
    const typed = placeKey(text);
    const budget = typoBudget(typed.length);
    if (budget === 0) return undefined;
    let best: string | undefined;
    let bestDistance = budget + 1;
    let tied = false;
    for (const key of this.byKey.keys()) {
      const d = Math.min(
        this.distance(typed, key, budget),
        ...(this.aliasesOf.get(key) ?? []).map((a) => this.distance(typed, a, budget)),
      );
      if (d < bestDistance) {
        best = key;
        bestDistance = d;
        tied = false;
      } else if (best && d === bestDistance) tied = true;
    }
    if (!best || tied) return undefined;
    return { key: best, values: this.byKey.get(best)!, typo: true };
  }

  // Agents rarely mistype the first letter of a place, and a word that differs there is a name.
  private distance(typed: string, key: string, budget: number): number {
    return key.length < MIN_TYPO_KEY || key[0] !== typed[0] ? budget + 1 : editDistance(typed, key, budget);
  }
}

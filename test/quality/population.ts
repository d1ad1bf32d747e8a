import { placeKey } from "../../src/domain/normalise/place.ts";
import { fold } from "../../src/domain/normalise/text.ts";
import { dutchPhonetic } from "../../src/domain/phonetic.ts";
import type { CustomerDoc } from "../../src/search/search-engine.ts";
import { editDistance } from "../../src/search/similarity.ts";

/** Every way an agent may start a customer's surname: each part, the part glued to its tussenvoegsel, the whole. */
export function surnameForms(d: CustomerDoc): string[] {
  const forms = new Set(d.surnameParts);
  const tv = d.tussenvoegsel?.replace(/[^a-z]/g, "");
  if (tv) for (const p of d.surnameParts) forms.add(`${tv}${p}`);
  if (d.surname) forms.add(d.surname.replace(/[^a-z]/g, ""));
  return [...forms];
}

/**
 * The customers of a portfolio by place and first name, to check that a generated query fits one
 * person only: nobody else in that place answers to it.
 */
export class Population {
  private readonly byPlaceName = new Map<string, CustomerDoc[]>();
  private readonly counts = new Map<string, number>();

  constructor(docs: readonly CustomerDoc[]) {
    for (const d of docs) {
      if (!d.city) continue;
      const key = placeKey(d.city);
      for (const f of d.firstNames) push(this.byPlaceName, `${key}|${f}`, d);
      for (const p of new Set([...d.surnameParts, ...d.companyWords])) this.count(`${key}|s|${p}`);
      if (d.houseNumberBase) this.count(`${key}|a|${d.street.join(" ")}|${d.houseNumberBase}`);
    }
  }

  /** The people of `city` (any notation) with `firstName` among their first names. */
  named(city: string, firstName: string): readonly CustomerDoc[] {
    return this.byPlaceName.get(`${placeKey(city)}|${fold(firstName)}`) ?? [];
  }

  /** Whether `d` is the only one in its place with any of its surname parts (as a surname or a company word). */
  onlyWithSurname(d: CustomerDoc): boolean {
    const key = placeKey(d.city ?? "");
    return d.surnameParts.length > 0 && d.surnameParts.every((p) => this.counts.get(`${key}|s|${p}`) === 1);
  }

  /** Whether `d` is the only one in its place living on its street at its house number. */
  onlyAtAddress(d: CustomerDoc): boolean {
    const key = placeKey(d.city ?? "");
    return this.counts.get(`${key}|a|${d.street.join(" ")}|${d.houseNumberBase}`) === 1;
  }

  private count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}

function push(map: Map<string, CustomerDoc[]>, key: string, d: CustomerDoc): void {
  const list = map.get(key);
  if (list) list.push(d);
  else map.set(key, [d]);
}

/** Whether a customer's surname (any part, with or without tussenvoegsel) starts with `prefix` (folded). */
export const surnameStartsWith = (d: CustomerDoc, prefix: string) =>
  surnameForms(d).some((f) => f.startsWith(prefix));

/** Whether a misheard surname could be this customer's: a part that sounds the same or is two edits away. */
export function surnameSoundsLike(d: CustomerDoc, heard: string): boolean {
  const code = dutchPhonetic(heard);
  return surnameForms(d).some((p) => dutchPhonetic(p) === code || editDistance(heard, p, 2) <= 2);
}

/** Whether exactly one customer in `among` passes `fits`, and it is `d`. */
export const onlyOne = (among: readonly CustomerDoc[], d: CustomerDoc, fits: (x: CustomerDoc) => boolean) =>
  among.every((x) => (x.customerId === d.customerId ? fits(x) : !fits(x)));

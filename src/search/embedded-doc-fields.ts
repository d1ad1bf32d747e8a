import { ExactFieldIndex } from "./embedded-exact-field-index.ts";
import { FieldIndex } from "./embedded-field-index.ts";
import type { CustomerDoc, DocField } from "./search-engine.ts";

/** Every field retrieval can address, in one list (the DocField union as a value). */
export const DOC_FIELDS: readonly DocField[] = [
  "surname",
  "surnameParts",
  "tussenvoegsel",
  "firstNames",
  "initials",
  "companyWords",
  "phonetic",
  "birthDate",
  "postcode",
  "postcodeArea",
  "houseNumber",
  "houseNumberBase",
  "street",
  "city",
  "phones",
  "email",
  "policyNumbers",
];

/** Fields whose typo index is built at start, since name, street and city clauses are fuzzy. */
export const FUZZY_FIELDS: readonly DocField[] = [
  "surname",
  "surnameParts",
  "firstNames",
  "companyWords",
  "street",
  "city",
];

/** Fields whose sorted dictionary is built at start, since name, initials, street and city clauses use prefixes. */
export const PREFIX_FIELDS: readonly DocField[] = [
  "surname",
  "surnameParts",
  "firstNames",
  "initials",
  "companyWords",
  "street",
  "city",
];

/** The index of one field: terms kept for prefix and typo lookups, or in a byte arena for exact ones. */
export type AnyFieldIndex = FieldIndex | ExactFieldIndex;

/**
 * A field's index. Fields no search clause looks up by prefix or typo hold most of the distinct terms
 * (phones, e-mail, policy numbers, postcodes, birth dates): their terms live in typed arrays, not as
 * strings in a Map.
 */
export const newFieldIndex = (field: DocField): AnyFieldIndex =>
  PREFIX_FIELDS.includes(field) || FUZZY_FIELDS.includes(field) ? new FieldIndex() : new ExactFieldIndex();

/** What the in-memory index needs of a document: its id and matching keys, not the display payload. */
export type IndexedKeys = Pick<CustomerDoc, "customerId" | DocField>;

/** The matching keys of a document, as persisted beside it so a restart parses only these. */
export function keysOf(doc: CustomerDoc): IndexedKeys {
  const keys: Record<string, unknown> = { customerId: doc.customerId };
  for (const f of DOC_FIELDS) if (doc[f] !== undefined) keys[f] = doc[f];
  return keys as IndexedKeys;
}

/**
 * Feeds each distinct term of each field of `doc` to `fn` with the field's index (`fields` in
 * DOC_FIELDS order); plain loops without per-document closures, because a restart runs this for every
 * field of every document.
 */
export function eachTerm(
  doc: IndexedKeys,
  fields: readonly AnyFieldIndex[],
  id: number,
  fn: (index: AnyFieldIndex, term: string, id: number) => void,
): void {
  for (let f = 0; f < DOC_FIELDS.length; f++) {
    const v = doc[DOC_FIELDS[f]!];
    if (v === undefined) continue;
    const index = fields[f]!;
    if (typeof v === "string") {
      fn(index, v, id);
      continue;
    }
    for (let i = 0; i < v.length; i++) if (i === 0 || v.indexOf(v[i]!) === i) fn(index, v[i]!, id);
  }
}

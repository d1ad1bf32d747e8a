import { DOC_FIELDS, type IndexedKeys } from "./embedded-doc-fields.ts";
import type { CustomerDoc, DocField } from "./search-engine.ts";

// Fields holding a list of terms; the others hold one term or nothing.
const LIST_FIELDS = new Set<DocField>([
  "surnameParts",
  "firstNames",
  "companyWords",
  "phonetic",
  "street",
  "phones",
  "policyNumbers",
]);

// Control characters never produced by the projection (it folds and trims every key).
const COMPACT = "\u0001";
const FIELD = "\u001e";
const VALUE = "\u001f";
const EMPTY_LIST = "\u001d";

// A key fits the compact form when it is a non-empty string free of control characters (the separators).
function fits(v: unknown): v is string {
  if (typeof v !== "string" || v.length === 0) return false;
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) < 0x20) return false;
  return true;
}

/**
 * The matching keys of a document as persisted beside it: one string, fields in DOC_FIELDS order
 * split by U+001E, list values by U+001F, so a restart splits strings instead of parsing JSON. Keys
 * the compact form cannot represent exactly (wrong types, empty strings, control characters) are
 * written as JSON, which `decodeKeys` recognises by its first character.
 */
export function encodeKeys(doc: CustomerDoc | IndexedKeys): string {
  let out = COMPACT;
  for (let f = 0; f < DOC_FIELDS.length; f++) {
    const field = DOC_FIELDS[f]!;
    const v = doc[field];
    if (f > 0) out += FIELD;
    if (v === undefined) continue;
    if (LIST_FIELDS.has(field)) {
      if (!Array.isArray(v)) return jsonKeys(doc);
      if (v.length === 0) {
        out += EMPTY_LIST;
        continue;
      }
      for (let i = 0; i < v.length; i++) {
        if (!fits(v[i])) return jsonKeys(doc);
        out += i === 0 ? v[i] : VALUE + v[i];
      }
    } else {
      if (!fits(v)) return jsonKeys(doc);
      out += v;
    }
  }
  return out;
}

function jsonKeys(doc: CustomerDoc | IndexedKeys): string {
  const keys: Record<string, unknown> = { customerId: doc.customerId };
  for (const f of DOC_FIELDS) if (doc[f] !== undefined) keys[f] = doc[f];
  return JSON.stringify(keys);
}

// V8 hands out substrings of 13+ characters (split, slice) as views that keep their whole parent
// alive; a key the index may keep (an e-mail address) gets its own copy, so it does not retain the
// whole keys text of its document.
const own = (part: string) => (part.length < 13 ? part : Buffer.from(part).toString());

/**
 * Reads what `encodeKeys` wrote (or a JSON keys object / whole document of an older table); `keep`
 * false skips the own copies when the keys live only as long as one search.
 */
export function decodeKeys(customerId: string, text: string, keep = true): IndexedKeys {
  if (!text.startsWith(COMPACT)) return JSON.parse(text) as IndexedKeys;
  const parts = text.slice(1).split(FIELD);
  const keys: Record<string, unknown> = { customerId };
  for (let f = 0; f < DOC_FIELDS.length; f++) {
    const p = parts[f];
    if (p === undefined || p.length === 0) continue;
    const field = DOC_FIELDS[f]!;
    if (!LIST_FIELDS.has(field)) keys[field] = keep ? own(p) : p;
    else if (p === EMPTY_LIST) keys[field] = [];
    else {
      const values = p.split(VALUE);
      if (keep) for (let i = 0; i < values.length; i++) values[i] = own(values[i]!);
      keys[field] = values;
    }
  }
  return keys as IndexedKeys;
}

/** What a result shows beyond the matching keys (kind, partners, view, policies), as JSON. */
export function encodePayload(doc: CustomerDoc): string {
  // Named fields, not a walk over the document's keys: this runs once per indexed document.
  return JSON.stringify({ kind: doc.kind, partners: doc.partners, view: doc.view, policies: doc.policies });
}

/** The whole document again from its persisted keys and payload. */
export function decodeDoc(customerId: string, keys: string, payload: string): CustomerDoc {
  return Object.assign(decodeKeys(customerId, keys, false), JSON.parse(payload)) as CustomerDoc;
}

import { fold, squash } from "./text.ts";

/**
 * Tussenvoegsels (surname prefixes) as they occur in Dutch and Flemish surnames, longest first so that
 * `van der` wins over `van`. Folded forms; `'t` also written `t`.
 */
export const TUSSENVOEGSELS: readonly string[] = [
  "van de la",
  "van den",
  "van der",
  "van het",
  "van 't",
  "van de",
  "van la",
  "in 't",
  "in de",
  "in den",
  "in het",
  "op de",
  "op den",
  "op het",
  "op 't",
  "uit de",
  "uit den",
  "uit het",
  "aan de",
  "aan den",
  "aan het",
  "bij de",
  "onder de",
  "over de",
  "ten",
  "ter",
  "te",
  "van",
  "de",
  "den",
  "der",
  "het",
  "'t",
  "la",
  "le",
  "du",
  "di",
  "da",
  "das",
  "do",
  "dos",
  "del",
  "della",
  "von",
  "zu",
  "vom",
  "d'",
  "l'",
].sort((a, b) => b.split(" ").length - a.split(" ").length || b.length - a.length);

/** Abbreviations callers and systems use for tussenvoegsels (`vd`, `v.d.`, `v/d`). */
const ABBREVIATIONS: Record<string, string> = {
  vd: "van de",
  "v.d.": "van de",
  "v/d": "van de",
  "v.d": "van de",
  vdr: "van der",
  "v.der": "van der",
  "v.": "van",
};

/** Expands a tussenvoegsel abbreviation (`v.d.` → `van de`), or returns the folded input. */
export function expandTussenvoegsel(input: string): string {
  const f = squash(fold(input)).replace(/’/g, "'");
  return ABBREVIATIONS[f] ?? f;
}

/** Is this (folded) word sequence a known tussenvoegsel? */
export function isTussenvoegsel(input: string): boolean {
  return TUSSENVOEGSELS.includes(expandTussenvoegsel(input));
}

/**
 * Splits a full surname into its tussenvoegsel and the rest, e.g. `van der Berg` → `["van der", "Berg"]`,
 * `de Vries-van Dam` → `["de", "Vries-van Dam"]`. A trailing `, van der` (`Berg, van der`) is understood.
 * The surname keeps its display form; the tussenvoegsel is lower case.
 */
export function splitSurname(input: string): { tussenvoegsel?: string; surname: string } {
  let s = squash(input);
  let trailing: string | undefined;
  const comma = /^(.+?),\s*(.+)$/.exec(s);
  if (comma && isTussenvoegsel(comma[2]!)) {
    s = comma[1]!;
    trailing = expandTussenvoegsel(comma[2]!);
  }
  if (trailing) return { tussenvoegsel: trailing, surname: s };
  const words = s.split(" ");
  // Take the longest known prefix that still leaves a surname behind.
  for (let n = Math.min(3, words.length - 1); n >= 1; n--) {
    const prefix = words.slice(0, n).join(" ");
    if (isTussenvoegsel(prefix)) {
      return { tussenvoegsel: expandTussenvoegsel(prefix), surname: words.slice(n).join(" ") };
    }
  }
  return { surname: s };
}

/** Capitalises a name for display where the partner sent it all upper or all lower case. */
export function displayCase(input: string): string {
  const s = squash(input);
  if (s !== s.toUpperCase() && s !== s.toLowerCase()) return s;
  return s
    .toLowerCase()
    .replace(/(^|[\s\-'])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** Normalises voorletters to `J.P.` style from `JP`, `J P`, `j.p`, or derives them from first names. */
export function normaliseInitials(input: string): string | undefined {
  const s = squash(input);
  if (s.length === 0) return undefined;
  // `Th.` and `Chr.` are traditional multi-letter initials; keep them as written.
  const parts = s.split(/[.\s]+/).filter(Boolean);
  // `JP` and `jp` are two initials; only a mixed-case part like `Th` is one.
  const letters = parts.flatMap((p) =>
    p.length > 1 && (p === p.toUpperCase() || p === p.toLowerCase()) ? [...p] : [p],
  );
  return letters.map((p) => `${p[0]!.toUpperCase()}${p.slice(1).toLowerCase()}.`).join("");
}

/** Derives voorletters from voornamen: `Jan Pieter` → `J.P.`. */
export function initialsFromFirstNames(firstNames: string): string | undefined {
  const words = squash(firstNames)
    .split(/[\s-]+/)
    .filter(Boolean);
  if (words.length === 0) return undefined;
  return words.map((w) => `${w[0]!.toUpperCase()}.`).join("");
}

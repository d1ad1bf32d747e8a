import { fold } from "./text.ts";

/**
 * Well-known other names of Dutch places, as place keys: the name people say → the official name
 * (woonplaats) the registers and most partners deliver. Only names that are not spellings of the same
 * words (those `placeKey` already joins: `'s-Gravenhage`, `s Gravenhage`, `Ijsselstein`).
 */
export const PLACE_ALIASES: Readonly<Record<string, string>> = {
  denhaag: "sgravenhage",
  thehague: "sgravenhage",
  denbosch: "shertogenbosch",
  alphenadrijn: "alphenaandenrijn",
  alphenaandrijn: "alphenaandenrijn",
  capelleadijssel: "capelleaandenijssel",
  krimpenadijssel: "krimpenaandenijssel",
  ouderkerkadamstel: "ouderkerkaandeamstel",
  ouderkerkaandamstel: "ouderkerkaandeamstel",
  hengeloov: "hengelo",
  hengelooverijssel: "hengelo",
};

/**
 * The key a place name is matched by, whatever the notation: folded, letters and digits only, and
 * well-known other names mapped to the official one — `'s-Gravenhage`, `s Gravenhage`, `Den Haag`
 * → `sgravenhage`; `'s-Hertogenbosch`, `Den Bosch` → `shertogenbosch`; `IJsselstein`, `Ijsselstein`
 * → `ijsselstein`.
 */
export function placeKey(name: string): string {
  const key = fold(name)
    .replace(/\(.*\)/g, "")
    .replace(/[^a-z0-9]/g, "");
  return PLACE_ALIASES[key] ?? key;
}

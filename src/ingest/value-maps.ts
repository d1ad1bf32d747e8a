import { LIST_COLUMNS, type StandaardColumn } from "./standaard-columns.ts";

/** A profile's value maps, keys lower-cased and trimmed: per column, the partner's value → the standaard value. */
export type ValueMaps = Partial<Record<StandaardColumn, Map<string, string>>>;

/** Builds the look-up maps of a profile's `values` (matched ignoring case and surrounding spaces). */
export function lowerCaseValueMaps(
  values: Partial<Record<StandaardColumn, Record<string, string>>>,
): ValueMaps {
  const maps: ValueMaps = {};
  for (const [col, map] of Object.entries(values) as Array<[StandaardColumn, Record<string, string>]>) {
    maps[col] = new Map(Object.entries(map).map(([k, v]) => [k.trim().toLowerCase(), v]));
  }
  return maps;
}

/** A cell through its column's map (per item for list columns); a value without an entry passes unchanged. */
export function mapValue(col: StandaardColumn, value: string, maps: ValueMaps): string {
  const map = maps[col];
  if (!map) return value;
  const one = (v: string) => map.get(v.trim().toLowerCase()) ?? v.trim();
  if (LIST_COLUMNS.includes(col)) return value.split(/[,|]/).map(one).join(",");
  return one(value);
}

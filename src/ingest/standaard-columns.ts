/** Every column of the contract's `standaard` delivery profile, in the contract's order. */
export const STANDAARD_COLUMNS = [
  "polisnummer",
  "relatienummer",
  "soort",
  "voorletters",
  "voornamen",
  "tussenvoegsel",
  "achternaam",
  "bedrijfsnaam",
  "kvk",
  "geboortedatum",
  "geslacht",
  "straat",
  "huisnummer",
  "toevoeging",
  "postcode",
  "woonplaats",
  "land",
  "telefoon",
  "telefoon2",
  "email",
  "product",
  "dekkingen",
  "ingangsdatum",
  "einddatum",
  "mutatiedatum",
  "status",
  "voorwaarden",
  "clausules",
  "eigen_risico",
  "gezin",
] as const;

/** A column name of the `standaard` profile. */
export type StandaardColumn = (typeof STANDAARD_COLUMNS)[number];

/** Columns a file's header must have: without them no row could be valid. */
export const REQUIRED_COLUMNS: readonly StandaardColumn[] = ["polisnummer", "product", "ingangsdatum"];

/** Columns holding dates in one of the contract's notations. */
export const DATE_COLUMNS: readonly StandaardColumn[] = [
  "geboortedatum",
  "ingangsdatum",
  "einddatum",
  "mutatiedatum",
];

/** Columns holding lists; a profile's value map applies to each item. */
export const LIST_COLUMNS: readonly StandaardColumn[] = ["dekkingen", "clausules"];

/** Is this a column of the `standaard` profile? */
export function isStandaardColumn(name: string): name is StandaardColumn {
  return (STANDAARD_COLUMNS as readonly string[]).includes(name);
}

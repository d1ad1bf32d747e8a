import type { PartnerPhase } from "../domain/partner.ts";

/** One quality check: a figure of the report, compared with a bound. */
export interface Threshold {
  code: string;
  /** What is checked, in the service centre's words. */
  label: string;
  /** The figure's path in the report's `current` figures. */
  figure: CurrentFigure;
  op: "min" | "max";
  bound: number;
}

/** Figures of the latest delivery the checks look at (shares 0..1, counts, days). */
export type CurrentFigure =
  | "rejectedShare"
  | "birthDate"
  | "postcode"
  | "houseNumber"
  | "phone"
  | "email"
  | "findableNameBirthDate"
  | "findablePostcodeHouseNumber"
  | "findablePhone"
  | "duplicatePolicyNumbers"
  | "unknownProductShare"
  | "unknownModuleShare"
  | "daysSinceLastFull";

const t = (
  code: string,
  label: string,
  figure: CurrentFigure,
  op: "min" | "max",
  bound: number,
): Threshold => ({
  code,
  label,
  figure,
  op,
  bound,
});

/** What a partner must meet to go live (and, once live, to stay so). */
const LIVE: readonly Threshold[] = [
  t("REJECTED_ROWS", "rejected rows at most 2 %", "rejectedShare", "max", 0.02),
  t("BIRTH_DATE", "birth date for at least 90 % of persons", "birthDate", "min", 0.9),
  t("POSTCODE", "a valid postcode on at least 95 % of rows", "postcode", "min", 0.95),
  t("HOUSE_NUMBER", "a house number on at least 95 % of rows", "houseNumber", "min", 0.95),
  t("PHONE", "a phone number on at least 50 % of rows", "phone", "min", 0.5),
  t(
    "FINDABLE_NAME_BIRTH_DATE",
    "findable by name + birth date: at least 90 % of persons",
    "findableNameBirthDate",
    "min",
    0.9,
  ),
  t(
    "FINDABLE_POSTCODE_HOUSE",
    "findable by postcode + house number: at least 95 % of rows",
    "findablePostcodeHouseNumber",
    "min",
    0.95,
  ),
  t("DUPLICATES", "no policy number twice in one file", "duplicatePolicyNumbers", "max", 0),
  t("UNKNOWN_PRODUCTS", "every product in the catalogue", "unknownProductShare", "max", 0),
  t(
    "UNKNOWN_MODULES",
    "modules outside the product on at most 1 % of rows",
    "unknownModuleShare",
    "max",
    0.01,
  ),
  t("FULL_DELIVERY_RECENT", "a full delivery in the last 35 days", "daysSinceLastFull", "max", 35),
];

/** A pilot partner leaves the pilot (to go live) on slightly looser bounds: its data are still being tuned. */
const PILOT: readonly Threshold[] = [
  t("REJECTED_ROWS", "rejected rows at most 5 %", "rejectedShare", "max", 0.05),
  t("BIRTH_DATE", "birth date for at least 80 % of persons", "birthDate", "min", 0.8),
  t("POSTCODE", "a valid postcode on at least 90 % of rows", "postcode", "min", 0.9),
  t("HOUSE_NUMBER", "a house number on at least 90 % of rows", "houseNumber", "min", 0.9),
  t(
    "FINDABLE_NAME_BIRTH_DATE",
    "findable by name + birth date: at least 80 % of persons",
    "findableNameBirthDate",
    "min",
    0.8,
  ),
  t("DUPLICATES", "no policy number twice in one file", "duplicatePolicyNumbers", "max", 0),
  t(
    "UNKNOWN_PRODUCTS",
    "products outside the catalogue on at most 1 % of rows",
    "unknownProductShare",
    "max",
    0.01,
  ),
  t("FULL_DELIVERY_RECENT", "a full delivery in the last 45 days", "daysSinceLastFull", "max", 45),
];

/**
 * The checks per onboarding phase and the phase they lead to: `pilot` and `aansluiten` move on to
 * `live`; `live` checks whether it may stay live; a paused partner resumes on the live bounds.
 */
export const PHASE_CHECKS: Record<PartnerPhase, { next: PartnerPhase | null; checks: readonly Threshold[] }> =
  {
    pilot: { next: "live", checks: PILOT },
    aansluiten: { next: "live", checks: LIVE },
    live: { next: "live", checks: LIVE },
    gepauzeerd: { next: "live", checks: LIVE },
    beeindigd: { next: null, checks: [] },
  };

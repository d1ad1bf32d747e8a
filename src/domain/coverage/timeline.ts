import { addMonths } from "date-fns/addMonths";
import { isValid } from "date-fns/isValid";
import type { IsoDate, Policy, PolicyVersion } from "../model.ts";

/*
 * Policy history as time. All dates are calendar dates `yyyy-mm-dd` (Europe/Amsterdam calendar);
 * `yyyy-mm-dd` strings compare correctly as strings, so only month arithmetic needs a Date, and that
 * Date is built at local midnight from y/m/d and read back with local getters: no zone can shift it.
 *
 * Conventions (docs/coverage-rules.md):
 * - a version is valid from `validFrom` (inclusive) to `validTo` (exclusive);
 * - a policy runs from `startDate` (inclusive) to `endDate` (exclusive): the einddatum is the first day
 *   without cover, as with `validTo` and as the policy-history writer ends a policy a full delivery lacks;
 * - `geschorst` (suspended) never runs; `geroyeerd` (cancelled) runs only up to its einddatum — a
 *   cancelled policy first seen with its einddatum ran until then — and without one not at all.
 */

/** True when `s` is a real calendar date `yyyy-mm-dd` (rejects 2025-02-30). */
export function isCalendarDate(s: string | undefined | null): s is IsoDate {
  if (typeof s !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  const date = localDate(y, m, d);
  return isValid(date) && date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d;
}

/** Adds whole months to a calendar date, clamping to the month end (30 Nov + 3 → 28/29 Feb). */
export function addMonthsClamped(date: IsoDate, months: number): IsoDate {
  if (!isCalendarDate(date)) throw new TypeError(`Expected a calendar date yyyy-mm-dd, got ${date}`);
  if (!Number.isInteger(months)) throw new TypeError(`Expected a whole number of months, got ${months}`);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  // date-fns addMonths keeps the day where it exists and otherwise takes the last day of the month.
  return formatLocal(addMonths(localDate(y, m, d), months));
}

/** The version of the policy valid on `date`, or undefined when the history does not reach that date. */
export function versionOn(policy: Pick<Policy, "versions">, date: IsoDate): PolicyVersion | undefined {
  return policy.versions.find((v) => v.validFrom <= date && (v.validTo === undefined || date < v.validTo));
}

/** True when this version gives cover on `date`: not suspended, started, and not yet at its einddatum. */
export function isRunningOn(version: PolicyVersion, date: IsoDate): boolean {
  if (version.status === "geschorst" || version.startDate > date) return false;
  if (version.endDate === undefined) return version.status === "actief";
  return date < version.endDate;
}

/** Since when a module has run without interruption, and whether the history before that is known. */
export interface ModuleSpan {
  /** First day of the uninterrupted run of the module that includes the asked date. */
  since: IsoDate;
  /**
   * False when the run reaches back to the first known version and that version starts later than the
   * policy itself: the module may have been there earlier, the history simply does not say.
   */
  complete: boolean;
}

/**
 * Walks versions back from `date` while the module stays on a running policy with no gap between
 * versions; undefined when the module does not run on `date`.
 */
export function moduleSpan(
  policy: Pick<Policy, "versions">,
  moduleCode: string,
  date: IsoDate,
): ModuleSpan | undefined {
  const versions = [...policy.versions].sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
  let i = versions.findIndex((v) => v.validFrom <= date && (v.validTo === undefined || date < v.validTo));
  const current = versions[i];
  if (!current || !isRunningOn(current, date) || !current.modules.includes(moduleCode)) return undefined;
  let since = runStart(current);
  while (i > 0) {
    const prev = versions[i - 1]!;
    const cur = versions[i]!;
    // A gap between versions, or a previous version without the module or not running up to the
    // moment the current one took over, interrupts the chain.
    if (prev.validTo !== cur.validFrom) break;
    if (!prev.modules.includes(moduleCode) || !runsUpTo(prev, cur.validFrom)) break;
    since = runStart(prev);
    i--;
  }
  const first = versions[i]!;
  return { since, complete: i > 0 || first.validFrom <= first.startDate };
}

/** Since when a module has been on the policy without interruption up to `date`; null when not on it then. */
export function moduleSince(
  policy: Pick<Policy, "versions">,
  moduleCode: string,
  date: IsoDate,
): IsoDate | null {
  return moduleSpan(policy, moduleCode, date)?.since ?? null;
}

/** The first day a version gives cover: its validFrom, or the policy start when that is later. */
function runStart(v: PolicyVersion): IsoDate {
  // biome-ignore lint/complexity/useMathMinMax: these are date strings; Math.max would turn them into NaN.
  return v.validFrom < v.startDate ? v.startDate : v.validFrom;
}

/** True when the version still runs on the day before `until`. */
function runsUpTo(v: PolicyVersion, until: IsoDate): boolean {
  if (v.status === "geschorst" || v.startDate >= until) return false;
  return v.endDate === undefined ? v.status === "actief" : v.endDate >= until;
}

function localDate(y: number, m: number, d: number): Date {
  const date = new Date(y, m - 1, d);
  // new Date(y, …) maps years 0–99 to 1900–1999; set the year explicitly.
  date.setFullYear(y, m - 1, d);
  return date;
}

function formatLocal(date: Date): IsoDate {
  const y = String(date.getFullYear()).padStart(4, "0");
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

import { z } from "zod";
import { AppError } from "../domain/errors.ts";

/** How far ahead of our clock a `receivedAt` may be: clocks differ a little, deliveries from the future not. */
export const MAX_RECEIVED_AT_AHEAD_MS = 5 * 60_000;

const amsterdam = new Intl.DateTimeFormat("en-US", {
  timeZone: "Europe/Amsterdam",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Milliseconds Amsterdam's wall clock is ahead of UTC at `instant` (+1 h in winter, +2 h in summer). */
function amsterdamOffsetMs(instant: number): number {
  const parts = Object.fromEntries(amsterdam.formatToParts(instant).map((p) => [p.type, p.value]));
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day (`yyyy-mm-dd`) begins in Europe/Amsterdam: `2024-01-05` → `2024-01-04T23:00:00.000Z`. */
export function startOfAmsterdamDay(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // Amsterdam changes its clocks at 02:00/03:00, never at midnight: one correction is exact.
  const guess = utcMidnight - amsterdamOffsetMs(utcMidnight);
  return new Date(utcMidnight - amsterdamOffsetMs(guess)).toISOString();
}

/** `receivedAt` as a delivery's query gives it: an ISO instant with offset, or a calendar date. */
export const ReceivedAt = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/**
 * The instant a `receivedAt` names (a date alone: the start of that day in Europe/Amsterdam); one more
 * than a few minutes ahead of `now` is a 400, or a delivery could escape retention.
 */
export function receivedAtInstant(value: string, now: number): string {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? startOfAmsterdamDay(value) : new Date(value).toISOString();
  if (Date.parse(iso) > now + MAX_RECEIVED_AT_AHEAD_MS) {
    throw new AppError("VALIDATION_FAILED", "receivedAt may not be more than 5 minutes in the future", {
      details: { errors: [{ path: "query.receivedAt", message: "more than 5 minutes in the future" }] },
    });
  }
  return iso;
}

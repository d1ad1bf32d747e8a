import { describe, expect, it } from "vitest";
import { ReceivedAt, receivedAtInstant, startOfAmsterdamDay } from "./received-at.ts";

describe("receivedAt", () => {
  it.each([
    ["2024-01-05", "2024-01-04T23:00:00.000Z"],
    ["2024-07-01", "2024-06-30T22:00:00.000Z"],
    // The days the clocks change: midnight is still before the change.
    ["2024-03-31", "2024-03-30T23:00:00.000Z"],
    ["2024-10-27", "2024-10-26T22:00:00.000Z"],
    ["2024-02-29", "2024-02-28T23:00:00.000Z"],
  ])("the day %s starts in Amsterdam at %s", (date, instant) => {
    expect(startOfAmsterdamDay(date)).toBe(instant);
  });

  const now = Date.parse("2026-05-01T12:00:00Z");
  it.each([
    ["2024-01-05", "2024-01-04T23:00:00.000Z"],
    ["2024-01-05T10:00:00+01:00", "2024-01-05T09:00:00.000Z"],
    ["2026-05-01T12:04:59Z", "2026-05-01T12:04:59.000Z"],
  ])("%s is accepted as %s", (value, instant) => {
    expect(ReceivedAt.safeParse(value).success).toBe(true);
    expect(receivedAtInstant(value, now)).toBe(instant);
  });

  it.each(["2100-01-01", "2026-05-01T12:05:01Z", "2026-05-02"])("%s is too far ahead: a 400", (value) => {
    expect(() => receivedAtInstant(value, now)).toThrow(
      expect.objectContaining({ code: "VALIDATION_FAILED" }),
    );
  });

  it.each(["2024-13-01", "05-01-2024", "2024-01-05T10:00:00", "yesterday"])("%s does not parse", (value) => {
    expect(ReceivedAt.safeParse(value).success).toBe(false);
  });
});

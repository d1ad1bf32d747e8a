import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { Policy, PolicyVersion } from "../model.ts";
import {
  addMonthsClamped,
  isCalendarDate,
  isRunningOn,
  moduleSince,
  moduleSpan,
  versionOn,
} from "./timeline.ts";

const v = (p: Partial<PolicyVersion> & Pick<PolicyVersion, "validFrom">): PolicyVersion => ({
  product: "RB-PARTICULIER",
  modules: ["CONS"],
  startDate: "2020-01-01",
  status: "actief",
  clauseCodes: [],
  household: false,
  deliveryIds: [],
  ...p,
});
const policy = (...versions: PolicyVersion[]): Policy => ({
  partner: "VOLMACHT-A",
  policyNumber: "P1",
  customerId: "c1",
  versions,
  deliveryIds: [],
});

describe("addMonthsClamped: month arithmetic on calendar dates", () => {
  it.each([
    ["2025-11-30", 3, "2026-02-28", "3 months from 30 November end on 28 February"],
    ["2023-11-30", 3, "2024-02-29", "…and on 29 February in a leap year"],
    ["2025-01-31", 1, "2025-02-28", "1 month from 31 January is 28 February"],
    ["2024-01-31", 1, "2024-02-29", "…or 29 February in a leap year"],
    ["2024-02-29", 12, "2025-02-28", "a year after 29 February is 28 February"],
    ["2024-02-29", 48, "2028-02-29", "four years after 29 February is 29 February again"],
    ["2025-03-31", 1, "2025-04-30", "31 March + 1 is 30 April"],
    ["2025-08-31", 6, "2026-02-28", "31 August + 6 is 28 February"],
    ["2025-12-15", 1, "2026-01-15", "across the year end"],
    ["2025-03-29", 0, "2025-03-29", "zero months changes nothing"],
    ["2025-03-31", -1, "2025-02-28", "backwards clamps too"],
    ["2025-10-26", 1, "2025-11-26", "the day summer time ends does not shift the date"],
    ["2025-03-30", 12, "2026-03-30", "the day summer time starts does not shift the date"],
  ])("%s + %i months = %s (%s)", (from, months, expected) => {
    expect(addMonthsClamped(from, months)).toBe(expected);
  });

  const originalTz = process.env.TZ;
  afterAll(() => {
    process.env.TZ = originalTz;
  });
  it.each(["UTC", "Europe/Amsterdam", "America/Sao_Paulo", "Pacific/Kiritimati", "America/Los_Angeles"])(
    "gives the same calendar dates when the machine runs in %s",
    (tz) => {
      process.env.TZ = tz;
      expect(addMonthsClamped("2025-11-30", 3)).toBe("2026-02-28");
      expect(addMonthsClamped("2018-10-21", 1)).toBe("2018-11-21");
      expect(addMonthsClamped("2025-03-30", 1)).toBe("2025-04-30");
      expect(isCalendarDate("2018-11-04")).toBe(true);
    },
  );

  it("lands in the right month, keeps the day where it exists and else takes the month's last day", () => {
    const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: -36, max: 36 }),
        (y, m, rawDay, n) => {
          const d = Math.min(rawDay, daysIn(y, m));
          const from = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          const total = y * 12 + (m - 1) + n;
          const ty = Math.floor(total / 12);
          const tm = (total % 12) + 1;
          const td = Math.min(d, daysIn(ty, tm));
          expect(addMonthsClamped(from, n)).toBe(
            `${ty}-${String(tm).padStart(2, "0")}-${String(td).padStart(2, "0")}`,
          );
        },
      ),
    );
  });

  it("refuses what is not a calendar date", () => {
    expect(() => addMonthsClamped("2025-02-30", 1)).toThrow(TypeError);
    expect(() => addMonthsClamped("2025-01-01", 1.5)).toThrow(TypeError);
  });
});

describe("isCalendarDate", () => {
  it.each([
    ["2024-02-29", true],
    ["2025-02-29", false],
    ["2025-04-31", false],
    ["2025-13-01", false],
    ["25-01-01", false],
    ["2025-1-1", false],
  ])("%s → %s", (s, ok) => expect(isCalendarDate(s)).toBe(ok));
});

describe("versionOn: the policy as it was on a date", () => {
  const p = policy(
    v({ validFrom: "2020-01-01", validTo: "2023-05-01" }),
    v({ validFrom: "2023-05-01", modules: ["CONS", "ARB"] }),
  );
  it("takes validFrom as the first day and validTo as the first day of the next version", () => {
    expect(versionOn(p, "2023-04-30")?.validFrom).toBe("2020-01-01");
    expect(versionOn(p, "2023-05-01")?.validFrom).toBe("2023-05-01");
    expect(versionOn(p, "2030-01-01")?.validFrom).toBe("2023-05-01");
  });
  it("knows nothing before the first version", () => {
    expect(versionOn(p, "2019-12-31")).toBeUndefined();
  });
});

describe("isRunningOn: einddatum is the first day without cover", () => {
  const ended = v({ validFrom: "2020-01-01", startDate: "2020-01-01", endDate: "2025-01-01" });
  it.each([
    ["2019-12-31", false, "before the start date"],
    ["2020-01-01", true, "on the start date"],
    ["2024-12-31", true, "the last day before the einddatum"],
    ["2025-01-01", false, "on the einddatum"],
  ])("%s → %s (%s)", (date, running) => expect(isRunningOn(ended, date)).toBe(running));
  it("a suspended (geschorst) version gives no cover", () => {
    expect(isRunningOn(v({ validFrom: "2020-01-01", status: "geschorst" }), "2021-01-01")).toBe(false);
  });
  it("a cancelled (geroyeerd) version covers up to its einddatum, and without one not at all", () => {
    const cancelled = v({ validFrom: "2020-01-01", status: "geroyeerd", endDate: "2025-06-28" });
    expect(isRunningOn(cancelled, "2025-06-27")).toBe(true);
    expect(isRunningOn(cancelled, "2025-06-28")).toBe(false);
    expect(isRunningOn(v({ validFrom: "2020-01-01", status: "geroyeerd" }), "2021-01-01")).toBe(false);
  });
});

describe("moduleSince: since when a module has been on the policy without interruption", () => {
  it("counts from the mutation that added the module, not from the policy start", () => {
    const p = policy(
      v({ validFrom: "2020-01-01", validTo: "2024-11-30" }),
      v({ validFrom: "2024-11-30", modules: ["CONS", "ARB"] }),
    );
    expect(moduleSince(p, "ARB", "2025-01-15")).toBe("2024-11-30");
    expect(moduleSince(p, "CONS", "2025-01-15")).toBe("2020-01-01");
  });
  it("walks back across versions that only changed something else", () => {
    const p = policy(
      v({ validFrom: "2020-01-01", validTo: "2021-01-01", modules: ["ARB"] }),
      v({ validFrom: "2021-01-01", validTo: "2022-01-01", modules: ["ARB", "CONS"] }),
      v({ validFrom: "2022-01-01", modules: ["ARB"], clauseCodes: ["CL-BOUW"] }),
    );
    expect(moduleSince(p, "ARB", "2023-01-01")).toBe("2020-01-01");
  });
  it("restarts after the module was dropped and added again", () => {
    const p = policy(
      v({ validFrom: "2020-01-01", validTo: "2022-01-01", modules: ["ARB"] }),
      v({ validFrom: "2022-01-01", validTo: "2022-06-01", modules: ["CONS"] }),
      v({ validFrom: "2022-06-01", modules: ["ARB"] }),
    );
    expect(moduleSince(p, "ARB", "2023-01-01")).toBe("2022-06-01");
    expect(moduleSince(p, "ARB", "2021-06-01")).toBe("2020-01-01");
    expect(moduleSince(p, "ARB", "2022-03-01")).toBeNull();
  });
  it("restarts after a suspension", () => {
    const p = policy(
      v({ validFrom: "2020-01-01", validTo: "2022-01-01", modules: ["ARB"] }),
      v({ validFrom: "2022-01-01", validTo: "2022-03-01", modules: ["ARB"], status: "geschorst" }),
      v({ validFrom: "2022-03-01", modules: ["ARB"] }),
    );
    expect(moduleSince(p, "ARB", "2022-04-01")).toBe("2022-03-01");
    expect(moduleSince(p, "ARB", "2022-02-01")).toBeNull();
  });
  it("restarts after a gap in the history", () => {
    const p = policy(
      v({ validFrom: "2020-01-01", validTo: "2021-01-01", modules: ["ARB"] }),
      v({ validFrom: "2021-02-01", modules: ["ARB"] }),
    );
    expect(moduleSince(p, "ARB", "2021-06-01")).toBe("2021-02-01");
  });
  it("starts at the policy start when a version was delivered before the policy began", () => {
    const p = policy(v({ validFrom: "2024-12-01", startDate: "2025-01-01", modules: ["ARB"] }));
    expect(moduleSince(p, "ARB", "2025-02-01")).toBe("2025-01-01");
  });
  it("says when the history does not reach back to the policy start", () => {
    const p = policy(v({ validFrom: "2024-06-01", startDate: "2018-01-01", modules: ["ARB"] }));
    expect(moduleSpan(p, "ARB", "2024-07-01")).toEqual({ since: "2024-06-01", complete: false });
    const known = policy(v({ validFrom: "2018-01-01", startDate: "2018-01-01", modules: ["ARB"] }));
    expect(moduleSpan(known, "ARB", "2024-07-01")).toEqual({ since: "2018-01-01", complete: true });
  });
});

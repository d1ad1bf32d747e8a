import { describe, expect, it } from "vitest";
import { ManualClock } from "../../test/support/manual-clock.ts";
import type { Job } from "../domain/model.ts";
import { nextRun, parseTimeOfDay, previousRun, startPurgeSchedule } from "./purge-schedule.ts";

const at3 = { hour: 3, minute: 0 };

describe("the daily purge's time of day, in Europe/Amsterdam", () => {
  it.each([
    // after (UTC)                      next run (UTC)             why
    ["2026-12-07T01:59:00.000Z", "2026-12-07T02:00:00.000Z", "winter time: 03:00 is 02:00 UTC"],
    ["2026-12-07T02:00:00.000Z", "2026-12-08T02:00:00.000Z", "exactly at the time: the next day's"],
    ["2026-07-01T00:30:00.000Z", "2026-07-01T01:00:00.000Z", "summer time: 03:00 is 01:00 UTC"],
    ["2026-03-28T12:00:00.000Z", "2026-03-29T01:00:00.000Z", "the night clocks go forward"],
    ["2026-10-24T12:00:00.000Z", "2026-10-25T02:00:00.000Z", "the night clocks go back"],
    ["2026-12-31T22:00:00.000Z", "2027-01-01T02:00:00.000Z", "over the year's end"],
  ])("after %s the next run is %s (%s)", (after, next) => {
    expect(nextRun(new Date(after), at3).toISOString()).toBe(next);
  });

  it("02:30 on the night it does not exist comes an hour later; on the night it comes twice, once", () => {
    const at = { hour: 2, minute: 30 };
    expect(nextRun(new Date("2026-03-28T12:00:00Z"), at).toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(nextRun(new Date("2026-10-24T12:00:00Z"), at).toISOString()).toBe("2026-10-25T01:30:00.000Z");
    expect(nextRun(new Date("2026-10-25T01:30:00Z"), at).toISOString()).toBe("2026-10-26T01:30:00.000Z");
  });

  it("the last due time at or before now", () => {
    expect(previousRun(new Date("2026-12-07T02:00:00Z"), at3).toISOString()).toBe("2026-12-07T02:00:00.000Z");
    expect(previousRun(new Date("2026-12-07T01:59:59Z"), at3).toISOString()).toBe("2026-12-06T02:00:00.000Z");
  });

  it.each([
    ["03:00", at3],
    ["23:59", { hour: 23, minute: 59 }],
    ["00:00", { hour: 0, minute: 0 }],
    ["24:00", undefined],
    ["3:00", undefined],
    ["03:60", undefined],
    ["off", undefined],
  ])("reads %s as %o", (text, expected) => {
    expect(parseTimeOfDay(text)).toEqual(expected);
  });
});

/** A job runner double that records what was submitted: our own port, not an engine. */
function recordingJobs() {
  const submitted: string[] = [];
  let running = false;
  return {
    submitted,
    setRunning: (r: boolean) => {
      running = r;
    },
    jobs: {
      async submit(type: Job["type"], createdBy?: string) {
        submitted.push(`${type} by ${createdBy}`);
        return { id: `job-${submitted.length}`, type } as Job;
      },
      active: () => running,
    },
  };
}

const purgeJob = (createdAt: string): Job => ({
  id: "earlier",
  type: "purge",
  status: "completed",
  progress: { done: 1, total: 1 },
  createdAt,
});

describe("the daily purge schedule", () => {
  it("submits one purge job at the time each day, through the job runner, and stops when told", async () => {
    const clock = new ManualClock("2026-12-07T01:00:00Z");
    const r = recordingJobs();
    const schedule = startPurgeSchedule({ at: at3, jobs: r.jobs, latestPurge: async () => null, clock });
    await clock.advance("2026-12-07T01:59:59Z");
    expect(r.submitted).toEqual([]);
    expect(schedule.next().toISOString()).toBe("2026-12-07T02:00:00.000Z");
    await clock.advance("2026-12-07T02:00:00Z");
    expect(r.submitted).toEqual(["purge by purge-schedule"]);
    expect(schedule.next().toISOString()).toBe("2026-12-08T02:00:00.000Z");
    await clock.advance("2026-12-09T12:00:00Z");
    expect(r.submitted).toHaveLength(3);
    schedule.stop();
    await clock.advance("2026-12-12T12:00:00Z");
    expect(r.submitted).toHaveLength(3);
    expect(clock.pending()).toBe(0);
  });

  it("does not ask for a second purge while one is queued or running", async () => {
    const clock = new ManualClock("2026-12-07T01:00:00Z");
    const r = recordingJobs();
    r.setRunning(true);
    const schedule = startPurgeSchedule({ at: at3, jobs: r.jobs, latestPurge: async () => null, clock });
    await clock.advance("2026-12-07T02:00:00Z");
    expect(r.submitted).toEqual([]);
    r.setRunning(false);
    await clock.advance("2026-12-08T02:00:00Z");
    expect(r.submitted).toHaveLength(1);
    schedule.stop();
  });

  it("at start, runs a purge that fell due while the service was down; not one that ran, nor on a new store", async () => {
    const cases: Array<[Job | null, number]> = [
      [purgeJob("2026-12-06T02:00:00.000Z"), 1], // yesterday's ran, today's 02:00 UTC was missed
      [purgeJob("2026-12-07T02:00:01.000Z"), 0], // today's ran
      [null, 0], // never purged: waits for the time
    ];
    for (const [last, expected] of cases) {
      const clock = new ManualClock("2026-12-07T09:00:00Z");
      const r = recordingJobs();
      const schedule = startPurgeSchedule({ at: at3, jobs: r.jobs, latestPurge: async () => last, clock });
      await clock.advance(1);
      expect(r.submitted, String(last?.createdAt)).toHaveLength(expected);
      schedule.stop();
    }
  });
});

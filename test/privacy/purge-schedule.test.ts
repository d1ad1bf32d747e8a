import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compose } from "../../src/compose.ts";
import { EnvError, parseEnv } from "../../src/config/env.ts";
import { createLogger } from "../../src/logger.ts";
import { type Harness, startHarness } from "../api/support/harness.ts";
import { ManualClock } from "../support/manual-clock.ts";
import { deliver, runJob, searchIds } from "./support/api.ts";
import { monthsAgo, NEWER_ROWS, OTHERS_OLD, PERSON_ROWS } from "./support/person.ts";

/** One metric's value from the Prometheus text, or undefined when it is absent. */
const metric = (text: string, name: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
};

describe("the daily purge inside the service (PURGE_SCHEDULE)", () => {
  let h: Harness;
  // Ten to three in the morning, Amsterdam winter time.
  const clock = new ManualClock("2026-12-07T01:50:00Z");
  beforeAll(async () => {
    h = await startHarness({ PURGE_SCHEDULE: "03:00" }, { clock });
    await deliver(h, "VOLMACHT-A", monthsAgo(25), [...PERSON_ROWS, ...OTHERS_OLD]);
    await deliver(h, "VOLMACHT-B", monthsAgo(1), NEWER_ROWS);
  });
  afterAll(() => h?.close());

  it("runs a purge job through the job runner at 03:00 Amsterdam, and /metrics shows its receipt", async () => {
    const before = await (await h.call("GET", "/metrics")).text();
    // Never purged: the timestamp says 0 (Prometheus' "never"), and nothing is counted.
    expect(metric(before, "purge_last_run_timestamp_seconds")).toBe(0);
    expect(metric(before, 'purge_records_deleted{record="customersDeleted"}')).toBeUndefined();

    await clock.advance("2026-12-07T01:59:59Z");
    expect(h.system.services.jobs.pending()).toBe(0);
    await clock.advance("2026-12-07T02:00:00Z");
    await h.system.services.jobs.onIdle();
    const [job] = await h.system.services.store.recentJobs("purge", 1);
    expect(job).toMatchObject({ status: "completed", createdBy: "purge-schedule" });
    expect(await searchIds(h, { name: "Quirijnsdochter", birthDate: "17-04-1961" })).toEqual([]);

    const text = await (await h.call("GET", "/metrics")).text();
    expect(metric(text, 'purge_records_deleted{record="customersDeleted"}')).toBe(1);
    expect(metric(text, 'purge_records_deleted{record="deliveries"}')).toBe(1);
    expect(metric(text, "purge_last_run_clean")).toBe(1);
    // The oldest delivery held is the one of a month ago.
    const age = metric(text, "purge_oldest_delivery_age_seconds")!;
    expect(age / 86_400).toBeGreaterThan(27);
    expect(age / 86_400).toBeLessThan(32);
    expect(metric(text, "purge_last_run_timestamp_seconds")).toBe(
      new Date(job!.receipt!.finishedAt).getTime() / 1000,
    );
  });

  it("a dry run leaves the gauges as the last real purge set them", async () => {
    const dry = await runJob(h, { type: "purge", dryRun: true });
    expect(dry.status).toBe("completed");
    const text = await (await h.call("GET", "/metrics")).text();
    expect(metric(text, 'purge_records_deleted{record="customersDeleted"}')).toBe(1);
  });

  it("is armed for the next day", async () => {
    await clock.advance("2026-12-08T02:00:00Z");
    await h.system.services.jobs.onIdle();
    const jobs = await h.system.services.store.recentJobs("purge", 10);
    expect(jobs.map((j) => j.createdBy)).toEqual(["purge-schedule", "admin-privacy", "purge-schedule"]);
  });

  it("a service started again on the same DATA_DIR shows the last receipt at once", async () => {
    const [last] = await h.system.services.store.recentJobs("purge", 1);
    await h.system.close();
    const again = await compose(
      parseEnv({ DATA_DIR: h.dataDir, DEMO_DATA: "off", PURGE_SCHEDULE: "off", LOG_LEVEL: "silent" }),
      createLogger("silent"),
    );
    try {
      const text = await (await again.app.request("/metrics")).text();
      expect(metric(text, "purge_last_run_timestamp_seconds")).toBe(
        new Date(last!.receipt!.finishedAt).getTime() / 1000,
      );
      expect(metric(text, 'purge_records_deleted{record="deliveries"}')).toBe(0);
    } finally {
      await again.close();
      await rm(h.dataDir, { recursive: true, force: true });
      h = undefined as unknown as Harness;
    }
  });
});

describe("PURGE_SCHEDULE is validated at start", () => {
  it.each(["25:00", "3:00", "noon", "03:00:00"])("%s stops the service with one clear line", (value) => {
    expect(() => parseEnv({ PURGE_SCHEDULE: value })).toThrow(EnvError);
    expect(() => parseEnv({ PURGE_SCHEDULE: value })).toThrow(
      /^invalid environment: PURGE_SCHEDULE: expected HH:MM \(Europe\/Amsterdam, 00:00-23:59\) or off/,
    );
  });
  it.each([
    ["off", "off"],
    ["06:30", "06:30"],
    [undefined, "03:00"],
  ])("%s is %s", (value, expected) => {
    expect(parseEnv(value ? { PURGE_SCHEDULE: value } : {}).PURGE_SCHEDULE).toBe(expected);
  });
});

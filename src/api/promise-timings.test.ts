import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPromiseTimings, percentile, summarise } from "./promise-timings.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe("the promise's daily figures", () => {
  it("takes median and p90 by nearest rank", () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 0.5)).toBe(5);
    expect(percentile(ten, 0.9)).toBe(9);
    expect(percentile([42], 0.9)).toBe(42);
    expect(() => percentile([], 0.5)).toThrow(RangeError);
  });

  it("groups by day, measure and start, newest day first", () => {
    const rows = summarise([
      { day: "2026-01-01", measure: "card", start: "search", ms: 10 },
      { day: "2026-01-02", measure: "card", start: "search", ms: 30 },
      { day: "2026-01-02", measure: "card", start: "search", ms: 20 },
      { day: "2026-01-02", measure: "no-customer", start: "search" },
    ]);
    expect(rows).toEqual([
      { day: "2026-01-02", measure: "card", start: "search", count: 2, medianMs: 20, p90Ms: 30 },
      { day: "2026-01-02", measure: "no-customer", start: "search", count: 1 },
      { day: "2026-01-01", measure: "card", start: "search", count: 1, medianMs: 10, p90Ms: 10 },
    ]);
  });

  it("dates events on the Amsterdam calendar and keeps 92 days across a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kh-timings-"));
    dirs.push(dir);
    const file = join(dir, "app-timings.jsonl");
    // 23:30 UTC on 31 March is already 1 April in Amsterdam (summer time).
    const old = JSON.stringify({ day: "2025-12-01", measure: "card", start: "search", ms: 5 });
    await writeFile(file, `${old}\nnot json\n`);
    let now = new Date("2026-03-31T23:30:00Z");
    const timings = createPromiseTimings({ file, now: () => now });
    await timings.record([{ measure: "card", start: "caller", ms: 1500 }]);
    expect((await timings.today()).map((d) => d.day)).toEqual(["2026-04-01"]);
    // 2025-12-01 is more than 92 days before 2026-04-01: dropped, and the torn line skipped.
    expect((await timings.report()).days).toHaveLength(1);
    now = new Date("2026-04-02T10:00:00Z");
    const reopened = createPromiseTimings({ file, now: () => now });
    expect(await reopened.today()).toEqual([]);
    expect((await reopened.report()).days).toEqual([
      { day: "2026-04-01", measure: "card", start: "caller", count: 1, medianMs: 1500, p90Ms: 1500 },
    ]);
    expect((await readFile(file, "utf8")).trim().split("\n")).toHaveLength(1);
  });
});

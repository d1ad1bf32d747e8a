import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { type PromiseDay, PromiseEvent, type PromiseReport } from "./app-shapes.ts";

export { PromiseEventBatch, PromiseReport } from "./app-shapes.ts";

/** Days kept, in memory and in the file. */
const KEEP_DAYS = 92;

const Stored = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  measure: PromiseEvent.shape.measure,
  start: PromiseEvent.shape.start,
  ms: z.number().optional(),
});
type Stored = z.infer<typeof Stored>;

/** Nearest-rank percentile of sorted values (p in 0–1). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("percentile of no values");
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

/** Daily figures of stored events, newest day first, then by measure and start. */
export function summarise(events: readonly Stored[]): PromiseDay[] {
  const groups = new Map<
    string,
    { day: string; measure: Stored["measure"]; start: Stored["start"]; ms: number[]; count: number }
  >();
  for (const e of events) {
    const key = `${e.day}|${e.measure}|${e.start}`;
    let g = groups.get(key);
    if (!g) {
      g = { day: e.day, measure: e.measure, start: e.start, ms: [], count: 0 };
      groups.set(key, g);
    }
    g.count += 1;
    if (e.ms !== undefined) g.ms.push(e.ms);
  }
  return [...groups.values()]
    .sort(
      (a, b) =>
        b.day.localeCompare(a.day) || a.measure.localeCompare(b.measure) || a.start.localeCompare(b.start),
    )
    .map((g) => {
      const sorted = g.ms.sort((a, b) => a - b);
      return {
        day: g.day,
        measure: g.measure,
        start: g.start,
        count: g.count,
        ...(sorted.length > 0 ? { medianMs: percentile(sorted, 0.5), p90Ms: percentile(sorted, 0.9) } : {}),
      };
    });
}

const AMSTERDAM_DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Amsterdam",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Options of the timings log: its file (JSON lines; none keeps them in memory) and a clock for tests. */
export interface PromiseTimingsOptions {
  file?: string;
  now?: () => Date;
}

/** Collects promise events per Amsterdam day, kept for 92 days in a JSON-lines file beside the data. */
export function createPromiseTimings(options: PromiseTimingsOptions = {}) {
  const now = options.now ?? (() => new Date());
  const today = () => AMSTERDAM_DAY.format(now());
  let events: Stored[] = [];
  let loaded: Promise<void> | undefined;
  let writes = Promise.resolve();

  const oldestKept = () => {
    const d = new Date(`${today()}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - (KEEP_DAYS - 1));
    return d.toISOString().slice(0, 10);
  };

  const load = () => {
    loaded ??= (async () => {
      if (!options.file) return;
      let text = "";
      try {
        text = await readFile(options.file, "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
      const from = oldestKept();
      const kept: Stored[] = [];
      for (const line of text.split("\n")) {
        if (!line) continue;
        // A torn last line (a crash mid-write) is skipped rather than stopping the service.
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          continue;
        }
        const parsed = Stored.safeParse(json);
        if (parsed.success && parsed.data.day >= from) kept.push(parsed.data);
      }
      events = kept;
      // The file is rewritten once at start with only the days kept, so it never grows without bound.
      await mkdir(dirname(options.file), { recursive: true });
      await writeFile(options.file, kept.map((e) => `${JSON.stringify(e)}\n`).join(""), { mode: 0o600 });
    })();
    return loaded;
  };

  return {
    /** Records events under today's date. */
    async record(batch: readonly PromiseEvent[]): Promise<void> {
      await load();
      const day = today();
      const stored = batch.map((e) => ({ day, ...e }));
      events.push(...stored);
      const from = oldestKept();
      if (events.length > 0 && events[0]!.day < from) events = events.filter((e) => e.day >= from);
      if (options.file) {
        const file = options.file;
        const lines = stored.map((e) => `${JSON.stringify(e)}\n`).join("");
        // One append at a time, in order; a failed one fails its own request only.
        writes = writes.catch(() => {}).then(() => appendFile(file, lines, { mode: 0o600 }));
        await writes;
      }
    },
    /** Daily figures, newest first. */
    async report(): Promise<PromiseReport> {
      await load();
      return { days: summarise(events) };
    },
    /** Today's figures (for /metrics). */
    async today(): Promise<PromiseDay[]> {
      await load();
      const day = today();
      return summarise(events.filter((e) => e.day === day));
    },
  };
}

/** The timings log type. */
export type PromiseTimings = ReturnType<typeof createPromiseTimings>;

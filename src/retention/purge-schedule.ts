import { TZDate } from "@date-fns/tz";
import type { Job } from "../domain/model.ts";
import type { JobRunner } from "../jobs/job-runner.ts";
import type { Logger } from "../logger.ts";

/** The zone the daily purge's time of day is read in. */
export const PURGE_ZONE = "Europe/Amsterdam";

/** A time of day in Europe/Amsterdam. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

/** Reads `HH:MM` (00:00–23:59); undefined when it is not one. */
export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

/** The instant of `at` on the calendar day of `day` in Europe/Amsterdam, `offset` days on. */
function onDay(day: Date, at: TimeOfDay, offset: number): Date {
  const local = new TZDate(day, PURGE_ZONE);
  const t = new TZDate(
    local.getFullYear(),
    local.getMonth(),
    local.getDate() + offset,
    at.hour,
    at.minute,
    0,
    0,
    PURGE_ZONE,
  );
  return new Date(t.getTime());
}

/**
 * The first instant after `after` at which the clock in Europe/Amsterdam shows `at`. A time the
 * spring change skips (02:30 on its night) comes an hour later; one the autumn change shows twice
 * comes once, the second time.
 */
export function nextRun(after: Date, at: TimeOfDay): Date {
  for (let offset = 0; ; offset++) {
    const t = onDay(after, at, offset);
    if (t.getTime() > after.getTime()) return t;
  }
}

/** The last instant at or before `now` at which a daily run was due. */
export function previousRun(now: Date, at: TimeOfDay): Date {
  for (let offset = 0; ; offset--) {
    const t = onDay(now, at, offset);
    if (t.getTime() <= now.getTime()) return t;
  }
}

/** Time and timers, injectable: tests move time on by hand. */
export interface Clock {
  now(): Date;
  /** Calls `fn` once after `ms`; the answer cancels it. Must not keep the process alive. */
  timer(fn: () => void, ms: number): () => void;
}

/** The machine's clock; timers are unref'd. */
export const systemClock: Clock = {
  now: () => new Date(),
  timer(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

/** What the schedule needs: the job runner it submits to and the newest purge job on record. */
export interface PurgeScheduleDeps {
  at: TimeOfDay;
  jobs: Pick<JobRunner, "submit" | "active">;
  /** The newest purge job the store holds (any instance's), for a run missed while the service was down. */
  latestPurge: () => Promise<Job | null>;
  clock?: Clock;
  logger?: Pick<Logger, "info" | "warn" | "error">;
}

/** A running daily schedule. */
export interface PurgeSchedule {
  /** When the next run is due. */
  next(): Date;
  stop(): void;
}

/** Who submits the scheduled purge jobs (their `createdBy`). */
export const SCHEDULER = "purge-schedule";

/**
 * The daily purge inside the service: at `at` Europe/Amsterdam it submits a purge job to the job
 * runner, as an admin's `POST /v1/jobs` would, so whatever makes jobs run once (one at a time here;
 * a lease across instances) covers it. A purge already queued or running is not asked twice. At
 * start, a purge that was due while the service was down (the newest purge job on record is older
 * than the last due time) is submitted at once; a store that never purged waits for the time.
 */
export function startPurgeSchedule(deps: PurgeScheduleDeps): PurgeSchedule {
  const clock = deps.clock ?? systemClock;
  let cancel: () => void = () => {};
  let stopped = false;
  let due = nextRun(clock.now(), deps.at);

  const submit = async (why: string) => {
    if (deps.jobs.active("purge")) {
      deps.logger?.info({ why }, "scheduled purge skipped: a purge is queued or running");
      return;
    }
    const job = await deps.jobs.submit("purge", SCHEDULER);
    deps.logger?.info({ job: job.id, why }, "scheduled purge submitted");
  };

  const arm = () => {
    if (stopped) return;
    due = nextRun(clock.now(), deps.at);
    cancel = clock.timer(
      () => {
        // A timer can fire early by a millisecond or two; never run a day's purge before its time.
        if (clock.now().getTime() < due.getTime()) return arm();
        void submit("due")
          .catch((err: unknown) =>
            deps.logger?.error({ err: (err as Error).message }, "scheduled purge could not be submitted"),
          )
          .finally(arm);
      },
      Math.max(0, due.getTime() - clock.now().getTime()),
    );
  };

  void (async () => {
    try {
      const last = await deps.latestPurge();
      const missed = previousRun(clock.now(), deps.at);
      if (!stopped && last && new Date(last.createdAt).getTime() < missed.getTime()) await submit("missed");
    } catch (err) {
      deps.logger?.warn({ err: (err as Error).message }, "could not look for a missed scheduled purge");
    }
  })();
  arm();

  return {
    next: () => due,
    stop() {
      stopped = true;
      cancel();
    },
  };
}

import type { Logger } from "../logger.ts";
import type { Auditor } from "./audit.ts";

/** What the audit record of a burst says besides its count. */
export type RefusalEntry = Omit<Parameters<Auditor["record"]>[0], "count">;

interface Burst {
  entry: RefusalEntry;
  count: number;
  openedAt: number;
  timer: NodeJS.Timeout | undefined;
}

/** Records bursts of refused requests: one audit record per key and burst, with a count. */
export interface RefusalDigest {
  /** Counts one refusal of `key` (a subject, a client address); the first one of a burst opens it. */
  refuse(key: string, entry: RefusalEntry): void;
  /** Writes every open burst now (at shutdown; in tests). */
  flush(): Promise<void>;
}

/**
 * A flood of refusals (800 requests without a token in 6 s) must not become 800 audit records: the
 * first refusal of a key opens a burst, the ones after it are counted, and the burst is written as one
 * record (`count`, the endpoint of its first refusal) `burstMs` after it opened, or at shutdown.
 */
export function createRefusalDigest(
  auditor: Auditor,
  logger: Logger,
  options: { burstMs?: number; now?: () => number } = {},
): RefusalDigest {
  const burstMs = options.burstMs ?? 60_000;
  const now = options.now ?? Date.now;
  const open = new Map<string, Burst>();
  const write = async (key: string, burst: Burst): Promise<void> => {
    if (open.get(key) === burst) open.delete(key);
    clearTimeout(burst.timer);
    await auditor
      .record({ ...burst.entry, count: burst.count })
      .catch((e) => logger.error({ err: (e as Error).message }, "audit write failed"));
  };
  return {
    refuse(key, entry) {
      const t = now();
      let burst = open.get(key);
      if (burst && t - burst.openedAt >= burstMs) {
        void write(key, burst);
        burst = undefined;
      }
      if (!burst) {
        const opened: Burst = { entry, count: 0, openedAt: t, timer: undefined };
        opened.timer = setTimeout(() => void write(key, opened), burstMs);
        opened.timer.unref();
        open.set(key, opened);
        burst = opened;
      }
      burst.count += 1;
    },
    async flush() {
      await Promise.all([...open].map(([key, burst]) => write(key, burst)));
    },
  };
}

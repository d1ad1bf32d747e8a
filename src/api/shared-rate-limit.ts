import type { CounterStore } from "../store/store-coordination.ts";
import type { RateDecision, RateLimiter, RateRule } from "./rate-limit.ts";

/** Where the shared counts are kept, who this instance is, and how often it syncs. */
export interface SharedRateLimiterOptions {
  counters: CounterStore;
  /** This instance's id: its share of each counter. */
  writer: string;
  now?: () => number;
  /** How often counts go to the store and the other instances' come back (default 1,000 ms). */
  syncMs?: number;
  logger?: { warn(obj: object, msg?: string): void };
}

const WINDOW = 60_000;

interface KeyState {
  /** Requests allowed here not yet sent to the store, by window. */
  pending: Map<number, number>;
  /** Totals of all instances by window, as of the last sync (this instance's sent ones included). */
  known: Map<number, number>;
  lastUsed: number;
}

/**
 * Rate limits that hold across instances without a store round trip per request: each instance
 * decides locally on a sliding window of minute counters (this minute's count plus the last
 * minute's, weighted by how much of it still lies within 60 s), and every `syncMs` adds the requests
 * it allowed to its share of the counters in the store and reads everyone's totals back. Between
 * two syncs an instance does not see the others' requests: with N instances a key can get at most
 * (N − 1) × (its requests per instance in one sync interval) beyond its limit (docs/operations.md).
 * A key new to an instance is read from the store before its first request is decided.
 * `burst` is not used: the window itself allows a minute's worth at once.
 */
export function createSharedRateLimiter(
  options: SharedRateLimiterOptions,
): RateLimiter & { sync(): Promise<void>; close(): void } {
  const { counters, writer, logger } = options;
  const now = options.now ?? Date.now;
  const keys = new Map<string, KeyState>();
  const counterKey = (key: string, win: number) => `rate:${key}:${win}`;
  let syncing: Promise<void> | undefined;
  let lastSweep = 0;

  /** A key's state; a key new here is read from the store first (once per key, not per request). */
  async function stateOf(key: string, t: number): Promise<KeyState> {
    let s = keys.get(key);
    if (!s) {
      const win = Math.floor(t / WINDOW);
      const [current, previous] = await counters.read([counterKey(key, win), counterKey(key, win - 1)]);
      s = keys.get(key) ?? {
        pending: new Map(),
        known: new Map([
          [win, current!],
          [win - 1, previous!],
        ]),
        lastUsed: t,
      };
      keys.set(key, s);
    }
    s.lastUsed = t;
    return s;
  }
  const count = (s: KeyState, win: number) => (s.known.get(win) ?? 0) + (s.pending.get(win) ?? 0);

  async function syncOnce(): Promise<void> {
    const t = now();
    const win = Math.floor(t / WINDOW);
    const sent: Array<{ key: string; win: number; by: number }> = [];
    for (const [key, s] of keys) {
      for (const [w, by] of s.pending) if (by > 0) sent.push({ key, win: w, by });
      if (t - s.lastUsed > 2 * WINDOW && s.pending.size === 0) keys.delete(key);
    }
    if (sent.length > 0) {
      const totals = await counters.add(
        sent.map((i) => ({ key: counterKey(i.key, i.win), by: i.by, expiresAt: (i.win + 2) * WINDOW })),
        writer,
      );
      sent.forEach((i, n) => {
        const s = keys.get(i.key);
        if (!s) return;
        // Requests allowed while this sync ran stay pending for the next one.
        const left = (s.pending.get(i.win) ?? 0) - i.by;
        if (left > 0) s.pending.set(i.win, left);
        else s.pending.delete(i.win);
        s.known.set(i.win, totals[n]!);
      });
    }
    // Everyone else's counts of this and the last minute, for every key in use here.
    const reads: Array<{ key: string; win: number }> = [];
    for (const key of keys.keys()) reads.push({ key, win }, { key, win: win - 1 });
    if (reads.length > 0) {
      const totals = await counters.read(reads.map((r) => counterKey(r.key, r.win)));
      reads.forEach((r, n) => {
        const s = keys.get(r.key);
        if (!s) return;
        s.known.set(r.win, totals[n]!);
        for (const w of s.known.keys()) if (w < win - 1) s.known.delete(w);
      });
    }
    if (t - lastSweep > WINDOW) {
      lastSweep = t;
      await counters.deleteExpired(t);
    }
  }

  const sync = async () => {
    // One sync at a time: this instance never adds to its own share of a key twice at once.
    while (syncing) await syncing;
    syncing = syncOnce().finally(() => {
      syncing = undefined;
    });
    return syncing;
  };
  const timer = setInterval(
    () => void sync().catch((err: unknown) => logger?.warn({ err }, "rate limit sync failed")),
    options.syncMs ?? 1000,
  );
  timer.unref();

  return {
    async take(key: string, rule: RateRule): Promise<RateDecision> {
      const t = now();
      const win = Math.floor(t / WINDOW);
      const s = await stateOf(key, t);
      const frac = (t - win * WINDOW) / WINDOW;
      const current = count(s, win);
      const previous = count(s, win - 1);
      const limit = rule.perMinute;
      if (current + previous * (1 - frac) + 1 <= limit) {
        s.pending.set(win, (s.pending.get(win) ?? 0) + 1);
        return { allowed: true };
      }
      // When the estimate falls below the limit again: later this minute as the last minute's
      // weight wanes, or in the next minute as this one's does.
      let waitMs: number;
      if (previous > 0 && limit - 1 - current >= 0)
        waitMs = (1 - (limit - 1 - current) / previous - frac) * WINDOW;
      else waitMs = (1 - frac) * WINDOW + Math.max(0, 1 - (limit - 1) / Math.max(1, current)) * WINDOW;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    },
    sync,
    close: () => clearInterval(timer),
  };
}

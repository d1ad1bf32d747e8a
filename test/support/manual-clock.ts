import type { Clock } from "../../src/retention/purge-schedule.ts";

/** A clock that moves only when told: timers fire, in order, as `advance` passes their time. */
export class ManualClock implements Clock {
  private t: number;
  private timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  timer(fn: () => void, ms: number): () => void {
    const entry = { at: this.t + ms, fn, live: true };
    this.timers.push(entry);
    return () => {
      entry.live = false;
    };
  }
  /** Timers set and not yet fired or cancelled. */
  pending(): number {
    return this.timers.filter((t) => t.live).length;
  }
  /** Moves time on to `to` (or by `ms`), firing each timer due on the way at its own time. */
  async advance(by: number | Date | string): Promise<void> {
    const end = typeof by === "number" ? this.t + by : new Date(by).getTime();
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.at);
      due.live = false;
      due.fn();
      // What the timer started (a job submitted, the next timer armed) runs before time moves on.
      for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
    }
    this.t = end;
  }
}

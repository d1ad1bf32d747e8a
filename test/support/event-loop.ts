import { SLICE_MS, setSliceClock } from "../../src/time-slice.ts";

/** How many times the event loop came round while `work` ran, and what it answered. */
export async function turnsDuring<T>(work: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let busy = true;
  const tick = () => {
    if (!busy) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const value = await work.finally(() => {
    busy = false;
  });
  return { value, turns };
}

/**
 * Installs a slice clock that moves `step` ms at every look (by default a whole slice: every look at
 * the clock finds the slice used up), so when long work hands the event loop back depends on the code
 * alone, never on the machine's speed. Answers a function that puts the real clock back; call it in
 * `afterEach` or a `finally`.
 */
export function steppingSliceClock(step = SLICE_MS): () => void {
  let now = 0;
  return setSliceClock(() => (now += step));
}

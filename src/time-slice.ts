/**
 * Long work on the HTTP thread (writing a delivery batch, big store reads, a retention run) hands the
 * event loop back every few milliseconds, so searches keep being answered meanwhile: a 25,000-row
 * batch otherwise held the thread 2-4 s at a time (300,000-row delivery into 1,000,000 customers:
 * search p99 3.5-4.1 s, worst 4.6 s; 2-vCPU Xeon, 2026-12-01).
 */
export const SLICE_MS = 8;

/** A time source in milliseconds that never goes back; the slices read it to know when one is used up. */
export type SliceClock = () => number;

let clock: SliceClock = () => performance.now();

// When the event loop last came round. The clock is shared by every TimeSlice, so that many short
// pieces of work chained by promises (which never let the loop turn) still yield between them.
let turnStarted = clock();
let marking = false;
const markTurn = () => {
  turnStarted = clock();
  marking = false;
};

/**
 * Makes `next` the time source of every slice (tests install one that moves a fixed step at every
 * look, so when work yields depends on the code, not on the machine's speed); answers a function that
 * puts the previous one back.
 */
export function setSliceClock(next: SliceClock): () => void {
  const previous = clock;
  clock = next;
  turnStarted = clock();
  return () => {
    clock = previous;
    turnStarted = clock();
  };
}

/** One slice of time: `due()` says when it is used up, `next()` yields and starts the next one. */
export class TimeSlice {
  private calls = -1;
  private readonly checkEvery: number;

  /** `checkEvery`: calls of `due()` between two looks at the clock (a power of two). */
  constructor(checkEvery = 64) {
    this.checkEvery = checkEvery - 1;
  }

  /** True once SLICE_MS have passed since the event loop last turned (looks at the clock every few calls). */
  due(): boolean {
    if ((++this.calls & this.checkEvery) !== 0) return false;
    // An immediate notes when the loop next comes round, however it gets there.
    if (!marking) {
      marking = true;
      setImmediate(markTurn);
    }
    return clock() - turnStarted >= SLICE_MS;
  }

  /** Lets the event loop run what waits (timers, I/O, immediates), then starts a new slice. */
  async next(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    turnStarted = clock();
  }
}

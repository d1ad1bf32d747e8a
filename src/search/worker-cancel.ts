import { AppError } from "../domain/errors.ts";
import type { CancelSignal } from "./customer-search.ts";

/** Slots of the shared cancellation flags. */
export const CANCEL_SLOTS = 1024;

/** A call's cancellation as the worker sees it: set by the HTTP thread through the shared flags. */
export function callSignal(flags: Int32Array | undefined, id: number): CancelSignal | undefined {
  if (!flags) return undefined;
  return {
    get aborted() {
      return Atomics.load(flags, id % flags.length) === id;
    },
    throwIfAborted() {
      if (Atomics.load(flags, id % flags.length) === id)
        throw new AppError("TIMEOUT", "the search was cancelled: nobody waits for its answer");
    },
  };
}

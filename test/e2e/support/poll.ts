import { expect } from "vitest";

/** `expect.poll` with a budget for a loaded machine (20 s): waits for what a user would see, never times it. */
export function poll<T>(fn: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}) {
  return expect.poll(fn, { timeout: 20_000, interval: 100, ...options });
}

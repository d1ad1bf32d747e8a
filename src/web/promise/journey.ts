import { api } from "../api/client.ts";
import type { PromiseEvent } from "../api/types.ts";

/**
 * The promise measured: from opening a caller view or the first keystroke of a search to the card
 * and to a verdict, and searches that end without a customer. Only durations leave the browser.
 */
interface Journey {
  start: PromiseEvent["start"];
  t0: number;
  card: boolean;
  verdict: boolean;
}

let current: Journey | null = null;
let send: (events: PromiseEvent[]) => void = (events) => {
  void api("POST", "/v1/app/timings", { events }, { keepalive: true }).catch(() => {});
};

/** Replaces the sender (tests). */
export function setSender(fn: (events: PromiseEvent[]) => void): void {
  send = fn;
}

const ended = (j: Journey | null) => j === null || j.verdict;

/** A search or caller view has begun; an open journey without a card ends as `no-customer`. */
export function begin(start: PromiseEvent["start"], now = performance.now()): void {
  endWithoutCustomer();
  current = { start, t0: now, card: false, verdict: false };
}

/** The first keystroke of a search begins a journey unless one is running. */
export function keystroke(now = performance.now()): void {
  if (ended(current) || current?.card) begin("search", now);
}

/** A customer card was opened. */
export function cardOpened(now = performance.now()): void {
  if (!current || current.card) return;
  current.card = true;
  send([{ measure: "card", start: current.start, ms: Math.round(now - current.t0) }]);
}

/** A coverage verdict was shown. */
export function verdictShown(now = performance.now()): void {
  if (!current || current.verdict) return;
  current.verdict = true;
  send([{ measure: "verdict", start: current.start, ms: Math.round(now - current.t0) }]);
}

/** The search was cleared or left without opening a card. */
export function endWithoutCustomer(): void {
  if (current && !current.card) send([{ measure: "no-customer", start: current.start }]);
  if (current && !current.card) current = null;
}

/** Ends a journey without telling (sign-out). */
export function reset(): void {
  current = null;
}

import { beforeEach, describe, expect, it } from "vitest";
import type { PromiseEvent } from "../api/types.ts";
import {
  begin,
  cardOpened,
  endWithoutCustomer,
  keystroke,
  reset,
  setSender,
  verdictShown,
} from "./journey.ts";

const sent: PromiseEvent[] = [];
beforeEach(() => {
  sent.length = 0;
  reset();
  setSender((events) => sent.push(...events));
});

describe("the promise measured", () => {
  it("times a search from its first keystroke to the card and to the verdict", () => {
    keystroke(1000);
    keystroke(1200);
    cardOpened(4000);
    verdictShown(61_000);
    expect(sent).toEqual([
      { measure: "card", start: "search", ms: 3000 },
      { measure: "verdict", start: "search", ms: 60_000 },
    ]);
  });

  it("times a caller view from its opening", () => {
    begin("caller", 0);
    cardOpened(2500);
    cardOpened(9000);
    expect(sent).toEqual([{ measure: "card", start: "caller", ms: 2500 }]);
  });

  it("counts a search that ends without a customer, once", () => {
    keystroke(0);
    endWithoutCustomer();
    endWithoutCustomer();
    keystroke(10);
    cardOpened(20);
    expect(sent).toEqual([
      { measure: "no-customer", start: "search" },
      { measure: "card", start: "search", ms: 10 },
    ]);
  });

  it("starts a new search after a card was opened", () => {
    keystroke(0);
    cardOpened(5);
    keystroke(100);
    cardOpened(150);
    expect(sent.map((e) => e.ms)).toEqual([5, 50]);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TermTable } from "./embedded-term-table.ts";

// Plain letters, digits, a separator, accented and wide letters, and both halves of a surrogate pair.
const unit = fc.constantFrom(..."ab09-+@", "é", "ß", "\u20ac", "\ud83d", "\ude00", "\uffff");
const term = fc.string({ unit, maxLength: 8 });
// Every term in one bucket: lookups must still tell the terms apart by their text.
const collide = () => 7;

describe("TermTable: interned terms answer as the strings themselves", () => {
  it("finds, reads back, orders and prefix-matches terms as JavaScript strings do, with any hash", () => {
    fc.assert(
      fc.property(fc.array(term, { maxLength: 60 }), term, fc.boolean(), (terms, probe, colliding) => {
        // A capacity of 2 makes the table grow (and rehash) many times.
        const table = new TermTable({ capacity: 2, hash: colliding ? collide : undefined });
        const numbers = new Map<string, number>();
        for (const t of terms) {
          const n = table.intern(t);
          if (!numbers.has(t)) expect(n).toBe(numbers.size);
          numbers.set(t, n);
        }
        expect(table.size).toBe(numbers.size);
        for (const [t, n] of numbers) {
          expect(table.find(t)).toBe(n);
          expect(table.intern(t)).toBe(n);
          expect(table.text(n)).toBe(t);
        }
        expect(table.find(probe)).toBe(numbers.get(probe) ?? -1);
        const list = [...numbers.keys()];
        for (const a of list)
          for (const b of list)
            expect(table.compare(numbers.get(a)!, numbers.get(b)!)).toBe(a < b ? -1 : a > b ? 1 : 0);
        const prefixed: number[] = [];
        table.eachWithPrefix(probe.slice(0, 2), (n) => prefixed.push(n));
        expect(prefixed).toEqual(
          list.filter((t) => t.startsWith(probe.slice(0, 2))).map((t) => numbers.get(t)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("keeps 100,000 phone numbers apart, found again after growing from a tiny table", () => {
    const table = new TermTable({ capacity: 2 });
    const phone = (i: number) => `+316${String(i * 7919).padStart(8, "0")}`;
    for (let i = 0; i < 100_000; i++) expect(table.intern(phone(i))).toBe(i);
    for (let i = 0; i < 100_000; i += 997) expect(table.find(phone(i))).toBe(i);
    expect(table.find("+31600000001")).toBe(-1);
    expect(table.text(12_345)).toBe(phone(12_345));
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExactFieldIndex } from "./embedded-exact-field-index.ts";
import { FieldIndex } from "./embedded-field-index.ts";

const word = fc.string({ unit: fc.constantFrom(..."0129+ae"), minLength: 1, maxLength: 7 });

function collect(run: (visit: (ids: Int32Array) => void) => void): number[] {
  const out: number[] = [];
  run((ids) => out.push(...ids));
  return out.sort((a, b) => a - b);
}

describe("ExactFieldIndex answers exactly as FieldIndex", () => {
  it("exact, prefix and typo lookups after adds and removes, also when every term shares a hash", () => {
    const op = fc.record({ add: fc.boolean(), term: word, id: fc.nat(30) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), word, fc.boolean(), (ops, probe, colliding) => {
        const exact = new ExactFieldIndex({ hash: colliding ? () => 0 : undefined });
        const reference = new FieldIndex();
        const held = new Set<string>();
        for (const { add, term, id } of ops) {
          const key = `${term}\u0000${id}`;
          if (add && !held.has(key)) {
            held.add(key);
            exact.add(term, id);
            reference.add(term, id);
          } else if (!add) {
            held.delete(key);
            exact.remove(term, id);
            reference.remove(term, id);
          }
        }
        expect(exact.terms).toBe(reference.terms);
        for (const lookup of ["exact", "prefix", "fuzzy"] as const) {
          const value = lookup === "prefix" ? probe.slice(0, 2) : probe;
          expect(collect((v) => exact[lookup](value, v))).toEqual(
            collect((v) => reference[lookup](value, v)),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it("finds a phone number again after it was removed and added for another customer", () => {
    const index = new ExactFieldIndex();
    index.add("+31612345678", 1);
    index.add("+31612345678", 2);
    index.remove("+31612345678", 1);
    index.remove("+31612345678", 2);
    expect(collect((v) => index.exact("+31612345678", v))).toEqual([]);
    index.add("+31612345678", 9);
    expect(collect((v) => index.exact("+31612345678", v))).toEqual([9]);
    expect(collect((v) => index.exact("+3161234567", v))).toEqual([]);
  });
});

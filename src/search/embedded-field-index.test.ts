import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { autoFuzziness, FieldIndex } from "./embedded-field-index.ts";
import { editDistance } from "./similarity.ts";

const word = fc.string({ unit: fc.constantFrom(..."aeijnosv"), minLength: 1, maxLength: 9 });

function collect(run: (visit: (ids: Int32Array) => void) => void): number[] {
  const out: number[] = [];
  run((ids) => out.push(...ids));
  return out.sort((a, b) => a - b);
}

describe("FieldIndex: the typo and prefix nets agree with a scan of the dictionary", () => {
  it("fuzzy finds exactly the terms within AUTO edit distance, also for terms added after the first query", () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 40 }),
        fc.array(word, { maxLength: 10 }),
        word,
        (before, after, query) => {
          const index = new FieldIndex();
          const terms = [...before, ...after];
          for (const [i, t] of before.entries()) index.add(t, i);
          index.fuzzy("warm", () => {}); // builds the deletion neighbourhood; later terms are added to it
          for (const [i, t] of after.entries()) index.add(t, before.length + i);
          const max = autoFuzziness(query.length);
          const expected = terms.flatMap((t, i) => (editDistance(query, t, max) <= max ? [i] : []));
          expect(collect((v) => index.fuzzy(query, v))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("prefix finds exactly the terms starting with the prefix, with unsorted new terms pending", () => {
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 60 }),
        fc.string({ unit: fc.constantFrom(..."aeijnosv"), maxLength: 3 }),
        (terms, prefix) => {
          // Sorted at seal (pending terms merged in later) or only at the first prefix lookup.
          for (const sortAtSeal of [true, false]) {
            const index = new FieldIndex();
            for (const [i, t] of terms.slice(0, 30).entries()) index.add(t, i);
            if (sortAtSeal) index.sortTerms();
            else index.seal();
            for (const [i, t] of terms.slice(30).entries()) index.add(t, 30 + i);
            const expected = terms.flatMap((t, i) => (t.startsWith(prefix) ? [i] : []));
            expect(collect((v) => index.prefix(prefix, v))).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds long terms (kept as their own copies) exactly, by prefix and with a typo", () => {
    const index = new FieldIndex();
    const text = "\u0001jan.pieter.jansen@example.nl\u001ejansen";
    index.add(text.slice(1, text.indexOf("\u001e")), 7);
    index.sortTerms();
    expect(collect((v) => index.exact("jan.pieter.jansen@example.nl", v))).toEqual([7]);
    expect(collect((v) => index.prefix("jan.pieter", v))).toEqual([7]);
    expect(collect((v) => index.fuzzy("jan.pieter.jansen@exampel.nl", v))).toEqual([7]);
  });

  it("a removed posting is no longer found", () => {
    const index = new FieldIndex();
    index.add("jansen", 1);
    index.add("jansen", 2);
    index.remove("jansen", 1);
    expect(collect((v) => index.exact("jansen", v))).toEqual([2]);
    expect(collect((v) => index.fuzzy("jansne", v))).toEqual([2]);
  });
});

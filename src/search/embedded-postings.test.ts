import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PostingStore } from "./embedded-postings.ts";

const ids = (store: PostingStore, t: number) => {
  const out: number[] = [];
  store.visit(t, (list) => out.push(...list));
  return out;
};

describe("PostingStore: a term's postings are the ids added and not removed, in the order added", () => {
  it("agrees with a plain list per term over any sequence of adds and removes", () => {
    const op = fc.record({ add: fc.boolean(), term: fc.nat(12), id: fc.nat(40) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const store = new PostingStore();
        const model = new Map<number, number[]>();
        for (const { add, term, id } of ops) {
          const list = model.get(term) ?? [];
          if (add && !list.includes(id)) {
            store.add(term, id);
            model.set(term, [...list, id]);
          } else if (!add) {
            store.remove(term, id);
            model.set(
              term,
              list.filter((x) => x !== id),
            );
          }
        }
        for (let t = 0; t <= 13; t++) expect(ids(store, t)).toEqual(model.get(t) ?? []);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every list intact while blocks move and the pool is compacted", () => {
    const store = new PostingStore();
    // Interleaved growth of 3,000 lists moves blocks thousands of times; compaction must follow them.
    for (let round = 0; round < 20; round++) for (let t = 0; t < 3000; t++) store.add(t, t * 100 + round);
    for (const t of [0, 1, 1499, 2999])
      expect(ids(store, t)).toEqual(Array.from({ length: 20 }, (_, r) => t * 100 + r));
    store.remove(5, 503);
    expect(ids(store, 5)).not.toContain(503);
    expect(ids(store, 5)).toHaveLength(19);
    expect(ids(store, 3000)).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import type { IndexedKeys } from "./embedded-doc-fields.ts";
import { EmbeddedIndex } from "./embedded-index.ts";

const keys = (customerId: string, city: string): IndexedKeys => ({
  customerId,
  surnameParts: [],
  firstNames: [],
  companyWords: [],
  phonetic: [],
  street: [],
  phones: [],
  policyNumbers: [],
  city,
});

describe("EmbeddedIndex: ties at the size cut-off go to the smallest customerIds", () => {
  it("orders ranked (sealed) and later-added ids as one string order", () => {
    const index = new EmbeddedIndex();
    for (const id of ["m", "c", "x", "k"]) index.add(keys(id, "ede"));
    index.seal();
    for (const id of ["a", "z", "d", "b"]) index.add(keys(id, "ede"));
    const query = { should: [{ field: "city" as const, values: ["ede"], match: "exact" as const }], size: 5 };
    expect(index.retrieve(query)).toEqual(["a", "b", "c", "d", "k"]);
    expect(index.retrieve({ should: [], must: query.should, size: 3 })).toEqual(["a", "b", "c"]);
  });

  it("keeps the string order for ids added in order, out of order and past the first 1,024, never sealed", () => {
    const index = new EmbeddedIndex();
    const added = Array.from({ length: 3000 }, (_, i) => `c${String(i).padStart(5, "0")}`);
    // Mostly ascending (as a delivery's time-ordered ids come), with some arriving late.
    const late = new Set(added.filter((_, i) => i % 97 === 0));
    for (const id of added) if (!late.has(id)) index.add(keys(id, "ede"));
    for (const id of [...late].reverse()) index.add(keys(id, "ede"));
    index.add(keys("b", "ede"));
    const query = { should: [{ field: "city" as const, values: ["ede"], match: "exact" as const }], size: 4 };
    expect(index.retrieve(query)).toEqual(["b", "c00000", "c00001", "c00002"]);
    index.remove(keys("b", "ede"));
    index.remove(keys("c00000", "ede"));
    expect(index.retrieve({ should: [], must: query.should, size: 3 })).toEqual([
      "c00001",
      "c00002",
      "c00003",
    ]);
    const tail = index.retrieve({ ...query, size: 3000 });
    expect(tail).toEqual([...tail].sort());
    expect(tail).toHaveLength(2999);
  });

  it("prefers more matching clauses over the tie-break", () => {
    const index = new EmbeddedIndex();
    for (const id of ["a", "b", "c"]) index.add(keys(id, "ede"));
    index.add({ ...keys("z", "ede"), postcode: "1234 AB" });
    index.seal();
    const found = index.retrieve({
      should: [
        { field: "city", values: ["ede"], match: "exact" },
        { field: "postcode", values: ["1234 AB"], match: "exact" },
      ],
      size: 2,
    });
    expect(found).toEqual(["z", "a"]);
  });

  it("counts a clause a query holds twice twice", () => {
    const index = new EmbeddedIndex();
    index.add(keys("a", "ede"));
    index.add(keys("b", "ede"));
    index.add(keys("c", "epe"));
    const epe = { field: "city" as const, values: ["epe"], match: "exact" as const };
    const ede = { field: "city" as const, values: ["ede"], match: "exact" as const };
    const ed = { field: "city" as const, values: ["ed"], match: "prefix" as const };
    // c: the twice-held exact clause (3 + 3); a and b: one exact and one prefix clause (3 + 2).
    expect(index.retrieve({ should: [epe, ede, ed, epe], size: 1 })).toEqual(["c"]);
    expect(index.retrieve({ should: [epe, ede, ed], size: 1 })).toEqual(["a"]);
  });

  it("never counts a score left by an earlier query, however many queries came in between", () => {
    const ede = { field: "city" as const, values: ["ede"], match: "exact" as const };
    const epe = { field: "city" as const, values: ["epe"], match: "exact" as const };
    const ed = { field: "city" as const, values: ["ed"], match: "prefix" as const };
    for (let between = 0; between < 100; between++) {
      const index = new EmbeddedIndex();
      index.add(keys("a", "ede"));
      index.add(keys("b", "epe"));
      index.retrieve({ should: [ede], size: 1 });
      for (let i = 0; i < between; i++) index.retrieve({ should: [epe], size: 1 });
      // a holds the prefix (2), b the exact city (3): neither starts from what the first query left.
      expect(index.retrieve({ should: [ed], size: 2 })).toEqual(["a"]);
      expect(index.retrieve({ should: [ed, epe], size: 1 })).toEqual(["b"]);
    }
  });
});

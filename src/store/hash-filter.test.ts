import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HashFilter } from "./hash-filter.ts";
import { keyHash } from "./key-hash.ts";

describe("HashFilter", () => {
  it("never says 'not held' for a hash it was given", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { maxLength: 500 }),
        (hashes) => {
          const filter = new HashFilter(hashes.length);
          for (const h of hashes) filter.add(h);
          for (const h of hashes) expect(filter.mightHold(h)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("says 'maybe' for under 3 % of other keys when filled to capacity", () => {
    const filter = new HashFilter(100_000);
    for (let i = 0; i < 100_000; i++) filter.add(keyHash(`P|jansen|j|1970-01-01|1234ab|${i}`));
    let maybe = 0;
    for (let i = 0; i < 100_000; i++)
      if (filter.mightHold(keyHash(`P|jansen|j|1970-01-01|1234ab|x${i}`))) maybe++;
    expect(maybe / 100_000).toBeLessThan(0.03);
  });
});

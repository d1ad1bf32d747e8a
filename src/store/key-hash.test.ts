import { describe, expect, it } from "vitest";
import { keyHash } from "./key-hash.ts";

describe("keyHash", () => {
  it("gives the same safe integer for the same key and spreads 200,000 similar keys without a collision", () => {
    expect(keyHash("P|berg|j|1980-05-01|3511AB|12")).toBe(keyHash("P|berg|j|1980-05-01|3511AB|12"));
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) {
      const h = keyHash(`R|VOLMACHT-A|${i}`);
      expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
      seen.add(h);
    }
    expect(seen.size).toBe(200_000);
    expect(keyHash("P|berg|j|1980-05-01|3511AB|12")).not.toBe(keyHash("P|berg|j|1980-05-01|3511AB|13"));
  });
});

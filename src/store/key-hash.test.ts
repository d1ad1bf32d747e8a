import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compactId, expandId } from "./compact-id.ts";
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

describe("compactId", () => {
  it("stores a UUID as 16 bytes and gives it back; leaves any other id as it is", () => {
    const id = "01a2110d-c694-7030-8a36-717a9e8b57c2";
    const value = compactId(id);
    expect(value).toBeInstanceOf(Uint8Array);
    expect((value as Uint8Array).byteLength).toBe(16);
    expect(expandId(value)).toBe(id);
    expect(compactId("K0000042")).toBe("K0000042");
    expect(compactId("01A2110D-C694-7030-8A36-717A9E8B57C2")).toBe("01A2110D-C694-7030-8A36-717A9E8B57C2");
  });

  it("gives a UUID's bytes as its hex digits spell them (any lowercase UUID)", () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        const lower = id.toLowerCase();
        expect(Buffer.from(compactId(lower) as Uint8Array)).toEqual(
          Buffer.from(lower.replaceAll("-", ""), "hex"),
        );
        expect(expandId(compactId(lower))).toBe(lower);
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, expect, it } from "vitest";
import { uuid7 } from "./uuid7.ts";

describe("uuid7", () => {
  it("makes version-7 UUIDs that sort in the order they were made, also within one millisecond", () => {
    const ids = Array.from({ length: 2000 }, () => uuid7());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

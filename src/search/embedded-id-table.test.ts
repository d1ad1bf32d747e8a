import { describe, expect, it } from "vitest";
import { IdTable } from "./embedded-id-table.ts";

describe("IdTable: customerIds and their dense ids", () => {
  it("retires a removed customer's dense id and gives a new one when the customer comes back", () => {
    const ids = new IdTable({ hash: () => 1 });
    const a = ids.add("0192-a");
    const b = ids.add("0192-b");
    expect([ids.get("0192-a"), ids.get("0192-b"), ids.get("0192-c")]).toEqual([a, b, -1]);
    ids.retire(a);
    expect(ids.get("0192-a")).toBe(-1);
    expect(ids.customerId(a)).toBe("");
    expect(ids.size).toBe(1);
    const again = ids.add("0192-a");
    expect(again).not.toBe(a);
    expect(ids.get("0192-a")).toBe(again);
    expect(ids.customerId(again)).toBe("0192-a");
    expect([ids.size, ids.length]).toEqual([2, 3]);
  });

  it("orders dense ids as their customerIds, a retired one first (as an empty string)", () => {
    const ids = new IdTable();
    const z = ids.add("z");
    const m = ids.add("m");
    const gone = ids.add("a");
    ids.retire(gone);
    expect(ids.compare(m, z)).toBe(-1);
    expect(ids.compare(z, m)).toBe(1);
    expect(ids.compare(gone, m)).toBe(-1);
    expect(ids.compare(m, m)).toBe(0);
  });

  it("holds 50,000 UUID-shaped ids", () => {
    const ids = new IdTable();
    const uuid = (i: number) =>
      `0192f0c1-${String(i).padStart(4, "0").slice(-4)}-7000-8000-${String(i).padStart(12, "0")}`;
    for (let i = 0; i < 50_000; i++) ids.add(uuid(i));
    expect(ids.get(uuid(31_337))).toBe(31_337);
    expect(ids.customerId(49_999)).toBe(uuid(49_999));
  });
});

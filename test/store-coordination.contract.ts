import { describe, expect, it } from "vitest";
import type { Store } from "../src/store/store.ts";

/**
 * Leases, counters and the index-change journal: the same behaviour on every Store adapter (called
 * from runStoreContract with its store, initialised).
 */
export function runCoordinationContract(store: () => Store): void {
  describe("leases", () => {
    const T = 1_700_000_000_000;
    it("one owner at a time: taken when free, refused while held, taken over once expired", async () => {
      const { leases } = store();
      expect(await leases.acquire("intake", "a", 1000, T, "d1")).toEqual({
        name: "intake",
        owner: "a",
        expiresAt: T + 1000,
        note: "d1",
      });
      expect(await leases.acquire("intake", "b", 1000, T + 999)).toBeNull();
      expect((await leases.get("intake"))?.owner).toBe("a");
      // The holder takes it again (a renewal), its note replaced.
      expect(await leases.acquire("intake", "a", 1000, T + 500)).toEqual({
        name: "intake",
        owner: "a",
        expiresAt: T + 1500,
      });
      expect(await leases.acquire("intake", "b", 1000, T + 1500)).toMatchObject({ owner: "b" });
      expect(await leases.renew("intake", "a", 1000, T + 1600)).toBe(false);
      expect(await leases.renew("intake", "b", 1000, T + 1600)).toBe(true);
      expect((await leases.get("intake"))?.expiresAt).toBe(T + 2600);
    });

    it("release gives up the owner's lease only; leases are independent by name", async () => {
      const { leases } = store();
      await leases.acquire("job:reindex", "a", 1000, T);
      await leases.acquire("job:purge", "b", 1000, T);
      await leases.release("job:reindex", "b");
      expect((await leases.get("job:reindex"))?.owner).toBe("a");
      await leases.release("job:reindex", "a");
      expect(await leases.get("job:reindex")).toEqual({ name: "job:reindex", owner: "a", expiresAt: 0 });
      expect(await leases.get("never")).toBeNull();
      expect(await leases.acquire("job:reindex", "b", 1000, T)).toMatchObject({ owner: "b" });
      expect((await leases.get("job:purge"))?.owner).toBe("b");
      expect(await leases.renew("gone", "a", 1000, T)).toBe(false);
    });

    it("of many contenders at the same moment exactly one gets a free lease, or an expired one", async () => {
      const { leases } = store();
      const race = async (at: number) => {
        const got = await Promise.all(
          Array.from({ length: 8 }, (_, i) => leases.acquire("race", `owner-${at}-${i}`, 5000, at)),
        );
        const winners = got.filter((l) => l !== null);
        expect(winners).toHaveLength(1);
        expect((await leases.get("race"))?.owner).toBe(winners[0]!.owner);
      };
      await race(T);
      await race(T + 5000);
      await race(T + 10_000);
    });

    it("a released lease is free for the next owner at once", async () => {
      const { leases } = store();
      await leases.acquire("released", "a", 60_000, T, "job-1");
      await leases.release("released", "a");
      expect(await leases.get("released")).toMatchObject({ owner: "a", note: "job-1", expiresAt: 0 });
      expect(await leases.acquire("released", "b", 60_000, T + 1)).toMatchObject({ owner: "b" });
      expect(await leases.renew("released", "a", 60_000, T + 2)).toBe(false);
    });
  });

  describe("counters", () => {
    it("add answers running totals, read answers 0 for an unknown key, delete and expiry forget", async () => {
      const { counters } = store();
      expect(
        await counters.add(
          [
            { key: "rate:a:1", by: 3, expiresAt: 100 },
            { key: "rate:b:1", by: 1, expiresAt: 200 },
          ],
          "w1",
        ),
      ).toEqual([3, 1]);
      expect(await counters.add([{ key: "rate:a:1", by: 2, expiresAt: 50 }], "w1")).toEqual([5]);
      expect(await counters.add([{ key: "rate:a:1", by: 4, expiresAt: 50 }], "w2")).toEqual([9]);
      expect(await counters.read(["rate:a:1"])).toEqual([9]);
      expect(await counters.read(["rate:b:1", "nope", "rate:a:1"])).toEqual([1, 0, 9]);
      // The later expiry stands: w1's share of a:1 lives until 100, w2's until 50, b:1 until 200.
      expect(await counters.deleteExpired(99)).toBe(1);
      expect(await counters.read(["rate:a:1"])).toEqual([5]);
      expect(await counters.deleteExpired(100)).toBe(1);
      expect(await counters.read(["rate:a:1", "rate:b:1"])).toEqual([0, 1]);
      await counters.delete(["rate:b:1"]);
      expect(await counters.read(["rate:b:1"])).toEqual([0]);
    });

    it("concurrent additions from several writers are all counted", async () => {
      const { counters } = store();
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          counters.add([{ key: "shared", by: 1, expiresAt: 10 }], `w${i}`),
        ),
      );
      expect(await counters.read(["shared"])).toEqual([10]);
    });
  });

  describe("index-change journal", () => {
    it("notes ids once and hands each out once", async () => {
      const { indexChanges } = store();
      await indexChanges.note(["c3", "c1", "c2"]);
      await indexChanges.note(["c1", "c4"]);
      const first = await indexChanges.take(3);
      const rest = await indexChanges.take(10);
      expect(first).toHaveLength(3);
      expect([...first, ...rest].sort()).toEqual(["c1", "c2", "c3", "c4"]);
      expect(await indexChanges.take(10)).toEqual([]);
    });
  });
}

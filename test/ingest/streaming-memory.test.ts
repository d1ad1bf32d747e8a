import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { probe } from "./memory-probe.ts";

setFlagsFromString("--expose-gc");
globalThis.gc ??= runInNewContext("gc") as typeof globalThis.gc;

describe("readDelivery streams with bounded memory", () => {
  it("reads a 64 MB delivery keeping nothing of it and without RSS growing like the file", {
    timeout: 120_000,
  }, async () => {
    const result = await probe(64);
    expect(result.rows).toBeGreaterThan(300_000);
    // Halfway through (some 30 MB read), the reader holds on to next to nothing of what it has read.
    expect(result.heapMidMb).toBeLessThan(40);
    // Holding the file as text alone would take 128 MB (UTF-16); RSS growth is GC slack, not the file.
    expect(result.growthMb).toBeLessThan(128);
  });
});

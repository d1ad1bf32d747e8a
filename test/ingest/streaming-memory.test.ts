import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { probe } from "./memory-probe.ts";

/**
 * The probe runs in a process of its own with the young generation the intake's parse worker gets
 * (`maxYoungGenerationSizeMb: 48` in src/ingest/read-delivery-worker.ts: 16 MB semi-spaces). It weighs
 * what is alive halfway through, with the garbage collected: the JavaScript heap and the memory outside
 * it (buffers). RSS is left to the probe's own report: how far it grows is GC slack, which depends on
 * how fast the reader runs, not on what it keeps.
 */
function probeInChild(megabytes: number): Awaited<ReturnType<typeof probe>> {
  const script = fileURLToPath(new URL("./memory-probe.ts", import.meta.url));
  const out = execFileSync(
    process.execPath,
    ["--expose-gc", "--max-semi-space-size=16", script, "--mb", String(megabytes), "--json"],
    { encoding: "utf8" },
  );
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

describe("readDelivery streams with bounded memory", () => {
  it("reads a 64 MB delivery keeping nothing of it, neither as text nor as buffers", {
    timeout: 120_000,
  }, () => {
    const result = probeInChild(64);
    expect(result.rows).toBeGreaterThan(300_000);
    // Halfway through (some 30 MB read), the reader holds on to next to nothing of what it has read:
    // the read part as text would take 60 MB of heap (UTF-16), as buffers 30 MB outside it. What is
    // there is the runtime, the probe's 1 MB block of rows and the chunks in flight.
    expect(result.heapMidMb).toBeLessThan(40);
    expect(result.externalMidMb).toBeLessThan(24);
  });
});

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { probe } from "./memory-probe.ts";

/**
 * The probe runs in a process of its own with the young generation the intake's parse worker gets
 * (`maxYoungGenerationSizeMb: 48` in src/ingest/read-delivery-worker.ts: 16 MB semi-spaces). In the
 * test runner's own heap V8 grew the young generation to 64 MB semi-spaces as the reader got faster,
 * and RSS measured that (+137-143 MB for 64 MB read, with 16 MB live), not the file.
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
  it("reads a 64 MB delivery keeping nothing of it and without RSS growing like the file", {
    timeout: 120_000,
  }, () => {
    const result = probeInChild(64);
    expect(result.rows).toBeGreaterThan(300_000);
    // Halfway through (some 30 MB read), the reader holds on to next to nothing of what it has read.
    expect(result.heapMidMb).toBeLessThan(40);
    // Holding the file as text alone would take 128 MB (UTF-16); RSS growth is GC slack, not the file.
    expect(result.growthMb).toBeLessThan(128);
  });
});

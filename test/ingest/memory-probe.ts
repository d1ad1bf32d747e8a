/**
 * Streams a synthetic delivery of `--mb` megabytes (default 300) through readDelivery without ever
 * holding it, and prints rows/s and peak RSS (`--json`: as JSON). Run:
 * `npx node --expose-gc test/ingest/memory-probe.ts --mb 300`.
 */
import { parseArgs } from "node:util";
import { generatePortfolio, toCsv } from "../../src/demo/generator.ts";
import { readDelivery } from "../../src/ingest/read-delivery.ts";

/** A header plus a ~1 MB block of generated rows repeated until `bytes`: a big file, nothing buffered. */
export async function* syntheticDelivery(bytes: number): AsyncGenerator<Uint8Array> {
  const lines = [...toCsv(generatePortfolio({ customers: 5000, seed: 11 }))];
  yield Buffer.from(lines[0]!);
  const block = Buffer.from(lines.slice(1).join(""));
  for (let sent = 0; sent < bytes; sent += block.length) {
    for (let i = 0; i < block.length; i += 64 * 1024) yield block.subarray(i, i + 64 * 1024);
  }
}

/** Reads the synthetic delivery, sampling RSS; returns rows, seconds and peak RSS growth. */
export async function probe(megabytes: number) {
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let rows = 0;
  let heapMidMb = Number.NaN;
  let externalMidMb = Number.NaN;
  const started = performance.now();
  for await (const row of readDelivery(syntheticDelivery(megabytes * 1024 * 1024), {
    partner: "VOLMACHT-A",
    format: "csv",
    profile: "standaard",
  })) {
    if (!row.ok) throw new Error(`unexpected row error at line ${row.line}`);
    if (++rows % 5000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    if (rows === 150_000 && globalThis.gc) {
      // Mid-read: what the reader holds on to, with the garbage collected.
      globalThis.gc();
      const m = process.memoryUsage();
      heapMidMb = m.heapUsed / 2 ** 20;
      externalMidMb = m.external / 2 ** 20;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    heapMidMb,
    externalMidMb,
    rows,
    seconds,
    baselineMb: baseline / 2 ** 20,
    peakMb: peak / 2 ** 20,
    growthMb: (peak - baseline) / 2 ** 20,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { mb: { type: "string", default: "300" }, json: { type: "boolean", default: false } },
  });
  const mb = Number(values.mb);
  const r = await probe(mb);
  console.log(
    values.json
      ? JSON.stringify(r)
      : `${mb} MB, ${r.rows} rows in ${r.seconds.toFixed(1)} s (${Math.round(r.rows / r.seconds)} rows/s, ${(mb / r.seconds).toFixed(1)} MB/s); RSS ${r.baselineMb.toFixed(0)} → peak ${r.peakMb.toFixed(0)} MB (+${r.growthMb.toFixed(0)} MB); heap mid-read after GC ${r.heapMidMb.toFixed(0)} MB`,
  );
}

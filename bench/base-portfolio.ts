/**
 * The base portfolio several benchmarks start from, laid out as bench/http-search.ts keeps it under
 * BENCH_DIR/<customers>/data: `customers` generated customers (seed 4242, VOLMACHT-A) ingested as one
 * full delivery with `npm run ingest` on the embedded default.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatePortfolio, toCsv } from "../src/demo/generator.ts";
import { createPartnerRegistry } from "../src/partners/partner-registry.ts";
import { createStore } from "../src/store/create-store.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Writes `customers` generated rows of one partner as a standaard CSV file. */
export async function writePortfolioCsv(path: string, customers: number, seed: number, partner: string) {
  const out = createWriteStream(path);
  for (const line of toCsv(generatePortfolio({ customers, seed, partners: [partner] })))
    if (!out.write(line)) await new Promise<void>((r) => out.once("drain", () => r()));
  await new Promise<void>((r) => out.end(() => r()));
}

/**
 * Registers `partner` (live, agreement signed) in the store `STORE`/`DATA_DIR`/`MONGODB_URL` name, so
 * the ingest CLI takes its delivery: a fresh store without demo data holds no partner.
 */
export async function registerBenchPartner(
  env: { STORE?: string | undefined; DATA_DIR: string; MONGODB_URL?: string | undefined },
  partner: string,
): Promise<void> {
  const store = createStore({
    STORE: env.STORE === "mongodb" ? "mongodb" : "sqlite",
    DATA_DIR: env.DATA_DIR,
    ...(env.MONGODB_URL ? { MONGODB_URL: env.MONGODB_URL } : {}),
  });
  await store.init();
  try {
    const registry = createPartnerRegistry(store);
    if (!(await registry.get(partner)))
      await registry.put(partner, {
        name: partner,
        type: "volmacht",
        phase: "live",
        agreementSignedOn: "2025-01-01",
        holdThresholdPercent: 20,
      });
  } finally {
    await store.close();
  }
}

/**
 * The base's directory (its DATA_DIR is `<dir>/data`), built unless BENCH_DIR already holds it;
 * `dispose` removes it again unless it is kept under BENCH_DIR.
 */
export async function basePortfolio(customers: number): Promise<{ dir: string; dispose: () => void }> {
  const kept = process.env.BENCH_DIR !== undefined;
  const dir = kept
    ? join(process.env.BENCH_DIR!, String(customers))
    : mkdtempSync(join(tmpdir(), "kh-bench-base-"));
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, "data", "klantherkenning.db"))) console.log(`base: reusing ${dir}`);
  else {
    const csv = join(dir, "portfolio.csv");
    await writePortfolioCsv(csv, customers, 4242, "VOLMACHT-A");
    await registerBenchPartner({ DATA_DIR: join(dir, "data") }, "VOLMACHT-A");
    const t0 = performance.now();
    const run = spawnSync(
      process.execPath,
      ["src/cli/ingest.ts", "--partner", "VOLMACHT-A", "--kind", "full", csv],
      {
        cwd: root,
        env: { ...process.env, DATA_DIR: join(dir, "data"), DEMO_DATA: "off", LOG_LEVEL: "warn" },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    if (run.status !== 0) throw new Error("base ingest failed");
    console.log(`base: ${customers} customers ingested in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { dir, dispose: () => (kept ? undefined : rmSync(dir, { recursive: true, force: true })) };
}

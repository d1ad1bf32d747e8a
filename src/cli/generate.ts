import { parseArgs } from "node:util";
import { generatePortfolio, toCsv } from "../demo/generator.ts";

/**
 * `npm run generate -- --customers N --seed S [--partner P]… [--delimiter ';'|','] > file.csv`:
 * writes a synthetic Dutch portfolio as a standaard CSV to stdout, streaming, with backpressure.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customers: { type: "string", default: "1000" },
      seed: { type: "string", default: "1" },
      partner: { type: "string", multiple: true },
      delimiter: { type: "string", default: ";" },
    },
  });
  const customers = Number(values.customers);
  const seed = Number(values.seed);
  if (!Number.isInteger(customers) || customers < 0) fail("--customers must be a whole number ≥ 0");
  if (!Number.isInteger(seed)) fail("--seed must be a whole number");
  if (values.delimiter !== ";" && values.delimiter !== ",") fail("--delimiter must be ';' or ','");
  const started = performance.now();
  let rows = -1; // the header is not a row
  let batch = "";
  for (const line of toCsv(generatePortfolio({ customers, seed, partners: values.partner }), {
    delimiter: values.delimiter,
  })) {
    rows++;
    batch += line;
    if (batch.length >= 64 * 1024) {
      if (!process.stdout.write(batch)) await new Promise((resolve) => process.stdout.once("drain", resolve));
      batch = "";
    }
  }
  process.stdout.write(batch);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `generated ${rows} rows for ${customers} customers in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s)\n`,
  );
}

function fail(message: string): never {
  process.stderr.write(`generate: ${message}\n`);
  process.exit(2);
}

await main();

import { parseArgs } from "node:util";
import { generatePortfolio, PORTFOLIO_DATE, toCsv } from "../demo/generator.ts";
import { toNvgaXml } from "../demo/generator-nvga.ts";

/**
 * `npm run generate -- --customers N --seed S [--partner P]… [--delimiter ';'|','] > file.csv`:
 * writes a synthetic Dutch portfolio as a standaard CSV to stdout, streaming, with backpressure.
 * `--format nvga-polis [--reference-date yyyy-mm-dd] [--por N013]` writes the same portfolio as an
 * NVGA File Polis (XML) in the labels of `profiles/nvga-polis.json`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customers: { type: "string", default: "1000" },
      seed: { type: "string", default: "1" },
      partner: { type: "string", multiple: true },
      delimiter: { type: "string", default: ";" },
      format: { type: "string", default: "csv" },
      "reference-date": { type: "string", default: PORTFOLIO_DATE },
      por: { type: "string", default: "N013" },
    },
  });
  const customers = Number(values.customers);
  const seed = Number(values.seed);
  if (!Number.isInteger(customers) || customers < 0) fail("--customers must be a whole number ≥ 0");
  if (!Number.isInteger(seed)) fail("--seed must be a whole number");
  if (values.delimiter !== ";" && values.delimiter !== ",") fail("--delimiter must be ';' or ','");
  if (values.format !== "csv" && values.format !== "nvga-polis") fail("--format must be csv or nvga-polis");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values["reference-date"]!)) fail("--reference-date must be yyyy-mm-dd");
  const started = performance.now();
  const portfolio = generatePortfolio({ customers, seed, partners: values.partner });
  // CSV: a header line and a line per row; NVGA: four header lines, a line per policy, the closing tag.
  const nvga = values.format === "nvga-polis";
  let rows = nvga ? -5 : -1;
  let batch = "";
  const lines = nvga
    ? toNvgaXml(portfolio, { referenceDate: values["reference-date"]!, porCode: values.por! })
    : toCsv(portfolio, { delimiter: values.delimiter as ";" | "," });
  for (const line of lines) {
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

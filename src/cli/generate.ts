import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { generatePortfolio, PORTFOLIO_DATE, toCsv } from "../demo/generator.ts";
import { toNvgaXml } from "../demo/generator-nvga.ts";
import { CliError, parseCli, runCli, UsageError } from "./cli-args.ts";

const SPEC = {
  name: "generate",
  usage: `usage: npm run generate -- [options] --out FILE      (or: npm run -s generate -- [options] > FILE)

Writes a synthetic Dutch portfolio (generated people, addresses and policies) as a delivery file.
  --out FILE             write to FILE (default: stdout; with npm, stdout needs \`npm run -s\`, or
                         npm's own banner lands in the file)
  --customers N          customers (default 1000)
  --seed S               seed of the generator: the same seed gives the same portfolio (default 1)
  --partner P            a partner code the rows are spread over (repeat for several)
  --format csv|nvga-polis  standaard CSV (default) or an NVGA File Polis (XML, profiles/nvga-polis.json)
  --delimiter ';'|','    CSV delimiter (default ;)
  --reference-date yyyy-mm-dd  NVGA: the file's reference date (default ${PORTFOLIO_DATE})
  --por CODE             NVGA: the insurer's POR code the file is meant for (default N013)
  -h, --help             this text`,
};

/** Writes a batch, waiting for the stream to drain when its buffer is full (backpressure). */
async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise((resolve) => out.once("drain", resolve));
}

/**
 * `npm run generate`: a synthetic Dutch portfolio as a standaard CSV or an NVGA File Polis, streamed
 * to `--out FILE` or stdout with backpressure; a summary line goes to stderr.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseCli(SPEC, {
    out: { type: "string" },
    customers: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
    partner: { type: "string", multiple: true },
    delimiter: { type: "string", default: ";" },
    format: { type: "string", default: "csv" },
    "reference-date": { type: "string", default: PORTFOLIO_DATE },
    por: { type: "string", default: "N013" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const customers = Number(values.customers);
  const seed = Number(values.seed);
  if (!Number.isInteger(customers) || customers < 0)
    throw new UsageError("--customers must be a whole number ≥ 0");
  if (!Number.isInteger(seed)) throw new UsageError("--seed must be a whole number");
  if (values.delimiter !== ";" && values.delimiter !== ",")
    throw new UsageError("--delimiter must be ';' or ','");
  if (values.format !== "csv" && values.format !== "nvga-polis")
    throw new UsageError("--format must be csv or nvga-polis");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values["reference-date"]))
    throw new UsageError("--reference-date must be yyyy-mm-dd");
  const out: Writable = values.out ? createWriteStream(values.out, { flags: "w" }) : process.stdout;
  // A path that cannot be written is answered before any work: the open fails or succeeds first.
  if (values.out)
    await new Promise<void>((resolve, reject) => {
      out.once("ready", resolve);
      out.once("error", (err: NodeJS.ErrnoException) =>
        reject(new CliError(`cannot write ${values.out} (${err.code ?? err.message})`)),
      );
    });
  const started = performance.now();
  const portfolio = generatePortfolio({ customers, seed, partners: values.partner });
  // CSV: a header line and a line per row; NVGA: four header lines, a line per policy, the closing tag.
  const nvga = values.format === "nvga-polis";
  let rows = nvga ? -5 : -1;
  let batch = "";
  const lines = nvga
    ? toNvgaXml(portfolio, { referenceDate: values["reference-date"], porCode: values.por })
    : toCsv(portfolio, { delimiter: values.delimiter as ";" | "," });
  for (const line of lines) {
    rows++;
    batch += line;
    if (batch.length >= 64 * 1024) {
      await write(out, batch);
      batch = "";
    }
  }
  await write(out, batch);
  if (values.out) {
    out.end();
    await finished(out);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `generated ${rows} rows for ${customers} customers in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s)${values.out ? ` into ${values.out}` : ""}\n`,
  );
}

runCli(SPEC, main);

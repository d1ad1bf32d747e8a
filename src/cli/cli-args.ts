import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { EnvError } from "../config/env.ts";
import { AppError } from "../domain/errors.ts";

/** A command-line tool: its name (prefix of its messages) and usage text (`--help`, and after a mistake). */
export interface CliSpec {
  name: string;
  usage: string;
}

/** A mistake in how the tool was called: answered with the usage text and exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A failure the tool explains in one line (exit code 1): a file it cannot read, a service that refuses. */
export class CliError extends Error {
  override name = "CliError";
}

/** Says what was wrong in one line, repeats the usage, and exits 2 (a caller's mistake). */
export function usageFail(spec: CliSpec, message: string): never {
  process.stderr.write(`${spec.name}: ${message}\n${spec.usage}\n`);
  process.exit(2);
}

const HELP = { help: { type: "boolean", short: "h" } } as const;

/**
 * Parses the command line with node:util's parseArgs, strict (an unknown option, a missing value or an
 * unexpected positional is a mistake) and with positionals allowed. `--help`/`-h` prints the usage on
 * stdout and exits 0; a mistake exits 2 with one line and the usage on stderr.
 */
export function parseCli<const O extends ParseArgsOptionsConfig>(spec: CliSpec, options: O, args?: string[]) {
  try {
    const parsed = parseArgs({
      options: { ...options, ...HELP },
      allowPositionals: true,
      strict: true,
      ...(args ? { args } : {}),
    });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(`${spec.usage}\n`);
      process.exit(0);
    }
    return parsed;
  } catch (err) {
    usageFail(spec, (err as Error).message.split("\n")[0]!);
  }
}

/**
 * Runs a tool's main: a usage mistake exits 2 with the usage; a bad environment, a CliError or an
 * expected failure (AppError) exits 1 with one line; anything else is a fault of ours and keeps its stack.
 */
export function runCli(spec: CliSpec, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof UsageError) usageFail(spec, err.message);
    if (err instanceof EnvError || err instanceof CliError)
      process.stderr.write(`${spec.name}: ${err.message}\n`);
    else if (err instanceof AppError) process.stderr.write(`${spec.name}: ${err.code}: ${err.message}\n`);
    else
      process.stderr.write(
        `${spec.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
    process.exit(1);
  });
}

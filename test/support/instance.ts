import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const NODE = join(process.cwd(), "node_modules/.bin/node");

/** A service instance (`src/main.ts`) in a child process, on a free port. */
export interface Instance {
  readonly name: string;
  readonly base: string;
  /** Everything it wrote to stdout and stderr. */
  output(): string;
  /** SIGKILL: dies at once, releasing nothing. Resolves with the exit code (null when killed). */
  kill(): Promise<number | null>;
  /** SIGTERM: a clean stop. Resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `src/main.ts` with `env` on port 0; resolves once it listens. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    DEMO_DATA: "off",
    LOG_LEVEL: "info",
    ...env,
  };
  delete childEnv.NODE_ENV;
  const child: ChildProcess = spawn(NODE, ["src/main.ts"], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (b: Buffer) => {
    output += b.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: no listening line in 120 s:\n${output}`)),
      120_000,
    );
    child.stdout!.on("data", (b: Buffer) => {
      output += b.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited ${code}:\n${output}`));
    });
  });
  const signal = async (s: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(s);
      await exited;
    }
    return child.exitCode;
  };
  return { name, base, output: () => output, kill: () => signal("SIGKILL"), stop: () => signal("SIGTERM") };
}

/** Waits until `check` answers a value (not undefined), polling; fails with `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
}

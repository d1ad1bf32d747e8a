import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const NODE = join(process.cwd(), "node_modules/.bin/node");
/** Every command-line tool (npm run token, generate, ingest, cli, backup, …). */
const TOOLS = readdirSync("src/cli")
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .filter((f) => !["cli-args.ts", "service-client.ts"].includes(f))
  .map((f) => f.slice(0, -3));

function run(
  tool: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: join("/nonexistent", "kh-usage") };
  return new Promise((resolve) => {
    const child = spawn(NODE, [`src/cli/${tool}.ts`, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const STACK = /\n\s+at /;

describe("every command-line tool answers --help and a bad option with its usage, never a stack trace", () => {
  it("knows the tools", () => {
    expect(TOOLS).toEqual(expect.arrayContaining(["backup", "cli", "generate", "ingest", "token"]));
  });

  it.each(TOOLS)("%s --help: the usage on stdout, exit 0", async (tool) => {
    const r = await run(tool, ["--help"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run/);
    expect(r.stderr).toBe("");
  });

  it.each(TOOLS)("%s --no-such-option: one line saying so, the usage, exit 2", async (tool) => {
    const r = await run(tool, ["--no-such-option"]);
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n")[0]).toMatch(new RegExp(`^${tool}: Unknown option '--no-such-option'`));
    expect(r.stderr).toContain("usage: npm run");
    expect(r.stderr).not.toMatch(STACK);
  });

  it.each([
    ["generate", ["--customers", "many"], "--customers must be a whole number"],
    [
      "ingest",
      ["--partner", "P", "--kind", "full", "/nonexistent/file.csv"],
      "cannot read /nonexistent/file.csv",
    ],
    ["ingest", ["--kind", "full", "file.csv"], "--partner is required"],
    ["token", ["--role", "boss"], 'unknown role "boss"'],
    ["backup", [], "--out DIR is required"],
  ])("%s %j: %s, no stack trace", async (tool, args, message) => {
    const r = await run(tool, args as string[]);
    expect(r.status).toBeGreaterThan(0);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(STACK);
  });
});

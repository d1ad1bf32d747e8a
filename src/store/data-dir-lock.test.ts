import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lockDataDir } from "./data-dir-lock.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Runs a second process that tries to lock `dir`; answers its one line of output. */
function otherProcess(dir: string): Promise<string> {
  const code = `import("${join(process.cwd(), "src/store/data-dir-lock.ts")}").then(
    (m) => { m.lockDataDir(process.argv[1]); console.log("locked"); },
    () => {},
  ).catch((e) => console.log(e.message));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", code, dir], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.on("error", reject);
    child.on("exit", () => resolve(out.trim()));
  });
}

describe("DATA_DIR lock", () => {
  it("a second process on the same DATA_DIR is refused with one line naming the holder; after release it gets in", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kh-lock-"));
    dirs.push(dir);
    const lock = lockDataDir(dir);
    const refused = await otherProcess(dir);
    expect(refused).toMatch(
      new RegExp(`^DATA_DIR .* is in use by pid ${process.pid} on .*: the embedded store`),
    );
    expect(refused.split("\n")).toHaveLength(1);
    lock.release();
    expect(await otherProcess(dir)).toBe("locked");
  });
});

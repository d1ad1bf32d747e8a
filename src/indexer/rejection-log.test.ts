import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RejectionLog } from "./rejection-log.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const logIn = async () => {
  const dir = await mkdtemp(join(tmpdir(), "kh-rejections-"));
  dirs.push(dir);
  return { path: join(dir, "index-rejections.jsonl"), dir };
};

describe("rejection log", () => {
  it("prunes the lines it is told to drop from the file and from memory, and keeps the rest in order", async () => {
    const { path } = await logIn();
    const log = new RejectionLog(path);
    log.add([
      { customerId: "gone", reason: 'birthDate is not a date: "1961-13-45"' },
      { customerId: "kept-1", reason: "a" },
    ]);
    log.add([{ customerId: "kept-2", reason: "b" }]);
    expect([...(await log.customerIds())].sort()).toEqual(["gone", "kept-1", "kept-2"]);

    expect(await log.prune((r) => r.customerId === "gone")).toBe(1);
    const text = await readFile(path, "utf8");
    expect(text).not.toContain("1961-13-45");
    expect(
      text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).customerId),
    ).toEqual(["kept-1", "kept-2"]);
    expect(log.list().map((r) => r.customerId)).toEqual(["kept-1", "kept-2"]);
    // A log that is read again after a restart prunes the same way.
    expect(await new RejectionLog(path).prune((r) => r.customerId === "kept-2")).toBe(1);
    expect((await readFile(path, "utf8")).trim().split("\n")).toHaveLength(1);
  });

  it("answers 0 and leaves no file behind when there is no log yet or nothing to drop", async () => {
    const { path, dir } = await logIn();
    const log = new RejectionLog(path);
    expect(await log.prune(() => true)).toBe(0);
    log.add([{ customerId: "x", reason: "r" }]);
    expect(await log.prune(() => false)).toBe(0);
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(dir)).toEqual(["index-rejections.jsonl"]);
  });
});

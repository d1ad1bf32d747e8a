import { mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { protectDataDir } from "./data-dir-permissions.ts";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("DATA_DIR permissions", () => {
  it("tightens an existing store: directories 0700, files 0600, links left alone", async () => {
    const root = mkdtempSync(join(tmpdir(), "kh-perm-"));
    const dir = join(root, "data");
    mkdirSync(join(dir, "files"), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, "store.sqlite"), "x", { mode: 0o644 });
    writeFileSync(join(dir, "store.sqlite-wal"), "x", { mode: 0o666 });
    writeFileSync(join(dir, "files", "delivery-1"), "x", { mode: 0o644 });
    const outside = join(root, "outside.txt");
    writeFileSync(outside, "x", { mode: 0o644 });
    symlinkSync(outside, join(dir, "link"));
    await protectDataDir(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, "files"))).toBe(0o700);
    expect(mode(join(dir, "store.sqlite"))).toBe(0o600);
    expect(mode(join(dir, "store.sqlite-wal"))).toBe(0o600);
    expect(mode(join(dir, "files", "delivery-1"))).toBe(0o600);
    expect(mode(outside)).toBe(0o644);
  });

  it("creates a missing DATA_DIR as 0700", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "kh-perm-")), "a", "data");
    await protectDataDir(dir);
    expect(mode(dir)).toBe(0o700);
  });
});

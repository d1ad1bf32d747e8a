import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const DIST = join(process.cwd(), "dist/web");

/** The first load's JavaScript: every script and module preload index.html names. */
async function firstLoadScripts(): Promise<string[]> {
  const html = await readFile(join(DIST, "index.html"), "utf8");
  const srcs = [
    ...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g),
    ...html.matchAll(/rel="modulepreload"[^>]*href="([^"]+)"/g),
  ];
  return srcs.map((m) => m[1]!);
}

describe("the application's bundle (npm run build:web)", () => {
  it("loads at most 150 KB of JavaScript, gzipped, at first", async () => {
    const scripts = await firstLoadScripts();
    expect(scripts.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const src of scripts) gzipped += gzipSync(await readFile(join(DIST, src)), { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(150 * 1024);
  });

  it("has no inline script: the CSP allows none", async () => {
    const html = await readFile(join(DIST, "index.html"), "utf8");
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});

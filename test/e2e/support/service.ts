import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startInstance } from "../../support/instance.ts";

/** A running service (`src/main.ts`) on a free port with its own temporary DATA_DIR. */
export interface RunningService {
  base: string;
  dataDir: string;
  /** Everything the service wrote to stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the real service as `npm start` does, on a free port with a fresh DATA_DIR and the demo
 * portfolio; resolves once it listens and the demo deliveries are searchable.
 */
export async function startService(
  env: Record<string, string> = {},
  options: { dataDir?: string } = {},
): Promise<RunningService> {
  if (!existsSync(join(process.cwd(), "dist/web/index.html")))
    throw new Error("the application is not built: run `npm run build:web` (npm ci and npm test do)");
  // A given DATA_DIR (a benchmark's base) is kept; otherwise a temporary one is removed at stop.
  const dir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "kh-e2e-")));
  const dataDir = options.dataDir ?? join(dir, "data");
  const instance = await startInstance("service", {
    DATA_DIR: dataDir,
    DEMO_DATA: "on",
    STORE: "sqlite",
    SEARCH: "embedded",
    ...env,
  });
  const stop = async () => {
    await instance.stop();
    if (!options.dataDir) await rm(dir, { recursive: true, force: true });
  };
  return { base: instance.base, dataDir, output: instance.output, stop };
}

/** Waits until `check` holds, polling; throws with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A dev token from the service's dev sign-in endpoint. */
export async function devToken(base: string, role: string, name: string): Promise<string> {
  const res = await fetch(`${base}/app/dev-token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ role, name }),
  });
  if (!res.ok) throw new Error(`dev token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Waits until the demo portfolio is searchable (the service fills an empty store at start). */
export async function demoReady(base: string): Promise<void> {
  const token = await devToken(base, "agent", "e2e-setup");
  await waitFor("the demo portfolio", async () => {
    const res = await fetch(`${base}/v1/search`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ phone: "06-12345678" }),
    });
    return res.ok && ((await res.json()) as { results: unknown[] }).results.length > 0;
  });
}

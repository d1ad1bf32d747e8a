import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

/** The run file's name in DATA_DIR. */
export const RUN_FILE = "service.json";

/**
 * What a running service says about itself in `DATA_DIR/service.json`, so the command-line tools on
 * the same DATA_DIR find it: `npm run ingest` delivers through it instead of writing beside it, and
 * `npm run token` signs for its issuer and audience. Written once the port is bound (`starting`) and
 * again when it serves (`ready`); removed at a clean stop. Holds no secret.
 */
export const RunInfo = z.object({
  pid: z.number().int().positive(),
  state: z.enum(["starting", "ready"]),
  /** Where a tool on this machine reaches it (a wildcard listening address becomes loopback). */
  url: z.string(),
  authMode: z.enum(["dev", "jwks"]),
  issuer: z.string(),
  audience: z.string(),
  /** With TLS: the certificate file it serves, which a tool pins. */
  tlsCertFile: z.string().optional(),
  startedAt: z.string(),
});
export type RunInfo = z.infer<typeof RunInfo>;

/** The URL a tool on this machine uses for a service listening on `host:port`. */
export function connectUrl(host: string, port: number, tls: boolean): string {
  const scheme = tls ? "https" : "http";
  const name =
    host === "0.0.0.0" || host === ""
      ? "127.0.0.1"
      : host === "::"
        ? "[::1]"
        : host.includes(":")
          ? `[${host}]`
          : host;
  return `${scheme}://${name}:${port}`;
}

/** Writes the run file (mode 0600, replaced whole so a reader never sees half of it). */
export async function writeRunFile(dataDir: string, info: RunInfo): Promise<void> {
  const path = join(dataDir, RUN_FILE);
  const tmp = `${path}.${info.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

/** Removes the run file if it is this process's (another service may have taken DATA_DIR over since). */
export async function removeRunFile(dataDir: string, pid = process.pid): Promise<void> {
  const current = await readRunFileRaw(dataDir);
  if (current && current.pid !== pid) return;
  await rm(join(dataDir, RUN_FILE), { force: true });
}

/** Whether a process with this id is alive on this machine (EPERM: alive, another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readRunFileRaw(dataDir: string): Promise<RunInfo | null> {
  let text: string;
  try {
    text = await readFile(join(dataDir, RUN_FILE), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const parsed = RunInfo.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The service running on DATA_DIR, or null when none is: no run file, an unreadable one, or one left
 * by a process that is gone (killed without a clean stop).
 */
export async function readRunFile(dataDir: string): Promise<RunInfo | null> {
  const info = await readRunFileRaw(dataDir);
  return info && processAlive(info.pid) ? info : null;
}

import { chmod, lstat, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { isMainThread } from "node:worker_threads";

/** Modes of what the service keeps under DATA_DIR: nobody but its own user reads personal data or keys. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes DATA_DIR the service's alone: creates it (0700), and tightens every directory under it to 0700
 * and every file to 0600 (databases, their WAL and shared-memory files, keys, delivered files), so a
 * store made by an older version is protected on the next start. Symbolic links are left alone. New
 * files follow the process umask, which `privateUmask` sets.
 */
export async function protectDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const walk = async (path: string): Promise<void> => {
    const st = await lstat(path).catch(() => undefined);
    if (!st || st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== PRIVATE_DIR_MODE) await chmod(path, PRIVATE_DIR_MODE);
      for (const name of await readdir(path)) await walk(join(path, name));
    } else if (st.isFile() && (st.mode & 0o777) !== PRIVATE_FILE_MODE) {
      // A file may vanish between listing and chmod (a WAL checkpointed away): that is fine.
      await chmod(path, PRIVATE_FILE_MODE).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "ENOENT") throw err;
      });
    }
  };
  await walk(dir);
}

/** Files the process makes from now on are its user's alone (umask 077); worker threads share it. */
export function privateUmask(): void {
  if (isMainThread) process.umask(0o077);
}

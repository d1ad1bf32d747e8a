import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { AppError } from "../domain/errors.ts";

/** The lock on DATA_DIR this process holds; `release` lets the next process in. */
export interface DataDirLock {
  release(): void;
}

/**
 * Claims DATA_DIR for this process: the embedded store and engine serve one instance, and a second
 * process on the same directory would keep its own view of the search index and the write queue.
 * SQLite's own locking does it (an exclusive lock on `instance.lock`, held until the process ends,
 * released by the operating system if it dies), so a stale lock never needs clearing by hand;
 * `instance.pid` says who holds it. Throws CONFLICT with one line naming the holder.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, "instance.lock"));
  try {
    db.exec("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE;");
    // The first write takes the exclusive lock; in this locking mode it is kept until close.
    db.exec(
      "BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (at TEXT); DELETE FROM holder; INSERT INTO holder VALUES (datetime('now')); COMMIT;",
    );
  } catch (err) {
    db.close();
    if (!/locked|busy/i.test((err as Error).message)) throw err;
    let holder = "another process";
    try {
      holder = readFileSync(join(dataDir, "instance.pid"), "utf8").trim() || holder;
    } catch {
      // No pid file (yet): the holder is still starting.
    }
    throw new AppError(
      "CONFLICT",
      `DATA_DIR ${dataDir} is in use by ${holder}: the embedded store and search serve one instance; run several instances with STORE=mongodb and SEARCH=elasticsearch or opensearch`,
    );
  }
  writeFileSync(join(dataDir, "instance.pid"), `pid ${process.pid} on ${hostname()}\n`, { mode: 0o600 });
  return {
    release() {
      if (db.isOpen) db.close();
    },
  };
}

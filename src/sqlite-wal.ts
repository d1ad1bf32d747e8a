import { statSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";

/** What a truncating checkpoint left: WAL bytes (0 when it worked), free pages, and whether it got the lock. */
export interface WalTruncation {
  busy: boolean;
  walBytes: number;
  freelistPages: number;
}

/** Runs `PRAGMA wal_checkpoint(TRUNCATE)` on `db` now; answers what was left. */
export function truncateWal(db: DatabaseSync, path: string): WalTruncation {
  let busy: boolean;
  try {
    busy = Number((db.prepare("PRAGMA wal_checkpoint(TRUNCATE)").get() as { busy: number }).busy) !== 0;
  } catch (err) {
    if (((err as { errcode?: number }).errcode ?? 0) % 256 !== 5) throw err;
    busy = true;
  }
  const freelistPages = Number(
    (db.prepare("PRAGMA freelist_count").get() as { freelist_count: number }).freelist_count,
  );
  return { busy, walBytes: fileSize(`${path}-wal`), freelistPages };
}

/** Bytes in a file; 0 when there is none. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

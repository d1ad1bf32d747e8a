import type { DatabaseSync } from "node:sqlite";

/**
 * Runs `fn` in one write transaction (`BEGIN IMMEDIATE`, so the write lock is taken up front): commits
 * and answers its result, or rolls back when it throws (unless SQLite has already rolled back).
 */
export function immediateTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const out = fn();
    db.exec("COMMIT");
    return out;
  } catch (err) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw err;
  }
}

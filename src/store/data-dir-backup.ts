import { copyFile, lstat, mkdir, open, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { AppError } from "../domain/errors.ts";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "./data-dir-permissions.ts";

/** What a backup holds, as its `backup.json` says. */
export interface BackupManifest {
  createdAt: string;
  from: string;
  /** SQLite databases, each a consistent snapshot (VACUUM INTO), in the order they were taken. */
  databases: Array<{ name: string; bytes: number }>;
  /** Other files (keys, delivered files, logs), copied after the databases. */
  files: number;
  fileBytes: number;
}

/** Left out: a running process's own state, and SQLite's side files (the snapshots hold their content). */
const SKIPPED = new Set(["service.json", "instance.lock", "instance.pid", "backup.json"]);
const SIDE_FILE = /-(wal|shm|journal)$/;
/** The search index first: a store snapshot taken after it then holds everything the index does. */
const ORDER = ["search.sqlite", "klantherkenning.db", "audit.db"];

async function isSqlite(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    return bytesRead === 16 && head.toString("latin1") === "SQLite format 3\u0000";
  } finally {
    await handle.close();
  }
}

/** A consistent copy of one SQLite database, however busy its writers (one read transaction). */
function snapshot(source: string, target: string): void {
  const db = new DatabaseSync(source);
  try {
    db.exec("PRAGMA busy_timeout = 30000");
    db.prepare("VACUUM INTO ?").run(target);
  } finally {
    db.close();
  }
  // The search index's register of open engines and their change journal belong to the running ones.
  const copy = new DatabaseSync(target);
  try {
    const tables = copy.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all();
    const names = new Set(tables.map((t) => String(t.name)));
    if (names.has("engines")) copy.exec("DELETE FROM engines");
    if (names.has("changes")) copy.exec("DELETE FROM changes");
  } finally {
    copy.close();
  }
}

/**
 * Backs up DATA_DIR while the service runs: every SQLite database in it (the store, the audit log, the
 * embedded search index, and any other) as a consistent snapshot each, then the keys, the delivered
 * files and the logs. `outDir` must not exist or be empty; it becomes a DATA_DIR a service starts on
 * as it is. The databases are snapshots of slightly different moments (the index first): after a
 * restore a reindex job makes the index agree with the store exactly.
 */
export async function backupDataDir(dataDir: string, outDir: string): Promise<BackupManifest> {
  const entries = await readdir(dataDir).catch((err: NodeJS.ErrnoException) => {
    throw new AppError("NOT_FOUND", `cannot read DATA_DIR ${dataDir} (${err.code ?? err.message})`);
  });
  const existing = await readdir(outDir).catch(() => [] as string[]);
  if (existing.length > 0)
    throw new AppError("CONFLICT", `${outDir} is not empty: back up into a new directory`);
  await mkdir(outDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const manifest: BackupManifest = {
    createdAt: new Date().toISOString(),
    from: dataDir,
    databases: [],
    files: 0,
    fileBytes: 0,
  };
  const databases: string[] = [];
  const others: string[] = [];
  for (const name of entries) {
    if (SKIPPED.has(name) || SIDE_FILE.test(name) || name.endsWith(".tmp")) continue;
    const st = await lstat(join(dataDir, name));
    if (st.isFile() && (await isSqlite(join(dataDir, name)))) databases.push(name);
    else if (st.isFile() || st.isDirectory()) others.push(name);
  }
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  databases.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const name of databases) {
    const target = join(outDir, name);
    snapshot(join(dataDir, name), target);
    manifest.databases.push({ name, bytes: (await stat(target)).size });
  }
  const copy = async (from: string, to: string): Promise<void> => {
    const st = await lstat(from).catch(() => undefined);
    // A delivered file retention removed meanwhile is simply not there any more.
    if (!st) return;
    if (st.isDirectory()) {
      await mkdir(to, { mode: PRIVATE_DIR_MODE });
      for (const name of await readdir(from)) await copy(join(from, name), join(to, name));
    } else if (st.isFile()) {
      await copyFile(from, to);
      manifest.files++;
      manifest.fileBytes += st.size;
    }
  };
  for (const name of others) await copy(join(dataDir, name), join(outDir, name));
  await writeFile(join(outDir, "backup.json"), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: PRIVATE_FILE_MODE,
  });
  return manifest;
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteAuditWriter } from "../src/store/sqlite-audit.ts";
import { SQLITE_AUDIT_SCHEMA } from "../src/store/sqlite-schema.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { anAuditRecord } from "./support/audit-record.ts";

const rec = (id: string, customerIds: string[] = []) => anAuditRecord(id, customerIds);

describe("SqliteAuditWriter (group commit, fail-closed)", () => {
  let db: DatabaseSync;
  let begins: number;
  beforeEach(() => {
    db = new DatabaseSync(":memory:");
    db.exec(SQLITE_AUDIT_SCHEMA);
    begins = 0;
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql.startsWith("BEGIN")) begins++;
      return exec(sql);
    };
  });
  afterEach(() => {
    if (db.isOpen) db.close();
  });
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it("writes the records of one turn in one transaction, each readable once its append resolves", async () => {
    const writer = new SqliteAuditWriter(db);
    await Promise.all(Array.from({ length: 16 }, (_, i) => writer.append(rec(`a${i}`, ["c1", "c2", "c1"]))));
    expect(begins).toBe(1);
    expect(count("audit")).toBe(16);
    // Duplicated customer ids in one record are kept once.
    expect(count("audit_customers_new")).toBe(32);
    await writer.append(rec("later"));
    expect(begins).toBe(2);
    expect(db.prepare("SELECT id FROM audit WHERE id = 'later'").get()).toBeTruthy();
  });

  it("has not written a record before its append resolves", async () => {
    const writer = new SqliteAuditWriter(db);
    const pending = writer.append(rec("x"));
    expect(count("audit")).toBe(0);
    await pending;
    expect(count("audit")).toBe(1);
  });

  it("rejects only the record that could not be kept; the others of its batch are committed", async () => {
    const writer = new SqliteAuditWriter(db);
    await writer.append(rec("dup"));
    const results = await Promise.allSettled([
      writer.append(rec("ok1", ["c1"])),
      writer.append(rec("dup")),
      writer.append(rec("ok2", ["c2"])),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(count("audit")).toBe(3);
    expect(count("audit_customers_new")).toBe(2);
  });

  it("rejects every record when the database cannot be written (fail closed)", async () => {
    const writer = new SqliteAuditWriter(db);
    db.exec("DROP TABLE audit_customers_new");
    const results = await Promise.allSettled([
      writer.append(rec("a", ["c1"])),
      writer.append(rec("b", ["c2"])),
    ]);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(count("audit")).toBe(0);
  });

  it("rejects records queued when the database closes, without throwing elsewhere", async () => {
    const writer = new SqliteAuditWriter(db);
    const pending = writer.append(rec("late"));
    db.close();
    await expect(pending).rejects.toThrow(/closed/);
  });

  it("waits for a transaction the store has open rather than nesting into it", async () => {
    const writer = new SqliteAuditWriter(db);
    db.exec("BEGIN IMMEDIATE");
    const pending = writer.append(rec("after"));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    db.exec("COMMIT");
    await pending;
    expect(count("audit")).toBe(1);
  });
});

describe("SqliteAuditWriter when another connection holds the write lock", () => {
  it("keeps the event loop running and commits once the lock is free", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kh-audit-busy-"));
    const path = join(dir, "audit.db");
    const db = new DatabaseSync(path);
    const other = new DatabaseSync(path);
    try {
      db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 0; ${SQLITE_AUDIT_SCHEMA}`);
      other.exec("BEGIN IMMEDIATE");
      let settled = false;
      const told: boolean[] = [];
      const writer = new SqliteAuditWriter(db, undefined, (waiting) => told.push(waiting));
      const pending = writer.append(rec("w", ["c1"])).then(() => (settled = true));
      // Timers keep firing meanwhile, the record still waiting: a writer that held the thread until the
      // lock was free would never let them run (the lock is freed only after them).
      for (let ticks = 0; ticks < 12; ticks++) await new Promise((r) => setTimeout(r, 5));
      expect(settled).toBe(false);
      // Said once that it waits (the upkeep thread makes way then), however often it tried.
      expect(told).toEqual([true]);
      other.exec("COMMIT");
      await pending;
      expect(told).toEqual([true, false]);
      expect(db.prepare("SELECT count(*) AS n FROM audit_customers_new").get()).toEqual({ n: 1 });
    } finally {
      db.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SqliteStore.appendAudit through the writer", () => {
  it("keeps concurrent appends and finds them by customer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kh-audit-"));
    const store = new SqliteStore({ dataDir: dir });
    await store.init();
    try {
      await Promise.all([store.appendAudit(rec("r1", ["c1"])), store.appendAudit(rec("r2", ["c1", "c2"]))]);
      const found = await store.queryAudit({ customerId: "c1", limit: 10 });
      expect(found.map((r) => r.id).sort()).toEqual(["r1", "r2"]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SqliteStore.replaceAuditCustomer (an erasure's tombstone)", () => {
  it("replaces the id in merged and recent customer rows alike, and leaves no row of the old id", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kh-audit-"));
    const store = new SqliteStore({ dataDir: dir });
    await store.init();
    try {
      await store.appendAudit(rec("m1", ["gone", "c2"]));
      await store.mergeAudit();
      await store.appendAudit(rec("r1", ["gone"]));
      expect(await store.replaceAuditCustomer("gone", "erased:t")).toBe(2);
      expect(await store.queryAudit({ customerId: "gone", limit: 10 })).toEqual([]);
      expect((await store.queryAudit({ customerId: "erased:t", limit: 10 })).map((r) => r.id).sort()).toEqual(
        ["m1", "r1"],
      );
      // A merge after the replacement moves the tombstone, never the old id.
      await store.mergeAudit();
      expect(await store.queryAudit({ customerId: "gone", limit: 10 })).toEqual([]);
      const db = new DatabaseSync(join(dir, "audit.db"));
      const left = db
        .prepare(
          "SELECT (SELECT count(*) FROM audit_customers WHERE customer_id = 'gone') + (SELECT count(*) FROM audit_customers_new WHERE customer_id = 'gone') + (SELECT count(*) FROM audit WHERE doc LIKE '%\"gone\"%') AS n",
        )
        .get() as { n: number };
      db.close();
      expect(left.n).toBe(0);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

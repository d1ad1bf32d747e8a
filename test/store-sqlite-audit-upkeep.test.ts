import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AuditUpkeep, auditDeleteSteps, auditMergeSteps } from "../src/store/sqlite-audit-upkeep.ts";
import { SQLITE_AUDIT_SCHEMA } from "../src/store/sqlite-schema.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { anAuditRecord } from "./support/audit-record.ts";

const rec = anAuditRecord;

/** Watches the merges a store asks of its audit upkeep thread (asked at once; run on the thread). */
const mergesAsked = (store: SqliteStore) =>
  vi.spyOn((store as unknown as { audit: { upkeep: AuditUpkeep } }).audit.upkeep, "merge");

const count = (db: DatabaseSync, table: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("auditMergeSteps", () => {
  let db: DatabaseSync;
  beforeEach(() => {
    db = new DatabaseSync(":memory:");
    db.exec(SQLITE_AUDIT_SCHEMA);
  });
  afterEach(() => db.close());

  // 35 records, customer c(i % 7) each, appended in record order.
  const fill = () => {
    const audit = db.prepare("INSERT INTO audit (id, at, subject, doc) VALUES (?, '2026-11-25', 's', '{}')");
    const row = db.prepare("INSERT INTO audit_customers_new (audit_id, customer_id) VALUES (?, ?)");
    for (let i = 0; i < 35; i++) {
      const id = `a${String(i).padStart(2, "0")}`;
      audit.run(id);
      row.run(id, `c${i % 7}`);
    }
  };

  it("moves every recent row into the customer index, one transaction per step", () => {
    fill();
    let begins = 0;
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql.startsWith("BEGIN")) begins++;
      return exec(sql);
    };
    const steps = auditMergeSteps(db, 10);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    expect(step.value).toBe(35);
    // Four copy steps of at most 10 rows, then one delete step.
    expect(begins).toBe(5);
    expect(pauses).toBe(4);
    expect(count(db, "audit_customers_new")).toBe(0);
    expect(count(db, "audit_customers")).toBe(35);
    const ofC3 = db
      .prepare("SELECT audit_id FROM audit_customers WHERE customer_id = 'c3' ORDER BY audit_id")
      .all();
    expect(ofC3.map((r) => r.audit_id)).toEqual(["a03", "a10", "a17", "a24", "a31"]);
  });

  it("lets another connection commit between its steps", () => {
    const dir = mkdtempSync(join(tmpdir(), "kh-audit-merge-"));
    const path = join(dir, "audit.db");
    const a = new DatabaseSync(path);
    const b = new DatabaseSync(path);
    try {
      a.exec(`PRAGMA journal_mode = WAL; ${SQLITE_AUDIT_SCHEMA}`);
      const row = a.prepare("INSERT INTO audit_customers_new (audit_id, customer_id) VALUES (?, ?)");
      const audit = a.prepare("INSERT INTO audit (id, at, subject, doc) VALUES (?, 'x', 's', '{}')");
      for (let i = 0; i < 30; i++) {
        audit.run(`a${i}`);
        row.run(`a${i}`, `c${i}`);
      }
      // No waiting on b: a write lock still held by the merge would make this throw SQLITE_BUSY.
      b.exec("PRAGMA busy_timeout = 0");
      const steps = auditMergeSteps(a, 10);
      let written = 0;
      while (!steps.next().done) {
        b.prepare("INSERT INTO audit (id, at, subject, doc) VALUES (?, 'x', 's', '{}')").run(`b${written}`);
        b.prepare("INSERT INTO audit_customers_new (audit_id, customer_id) VALUES (?, 'cb')").run(
          `b${written}`,
        );
        written++;
      }
      expect(written).toBe(3);
      // Rows appended during the merge wait for the next one.
      expect(count(a, "audit_customers")).toBe(30);
      expect(count(a, "audit_customers_new")).toBe(3);
      const again = auditMergeSteps(a, 10);
      let next = again.next();
      while (!next.done) next = again.next();
      expect(next.value).toBe(3);
      expect(count(a, "audit_customers")).toBe(33);
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stopped half-way, loses nothing and copies nothing twice when run again", () => {
    fill();
    const first = auditMergeSteps(db, 10);
    first.next();
    first.next();
    // As after a crash: 20 rows copied, all 35 still recent.
    expect(count(db, "audit_customers")).toBe(20);
    expect(count(db, "audit_customers_new")).toBe(35);
    const found = db
      .prepare(
        `SELECT id FROM audit WHERE id IN (SELECT audit_id FROM audit_customers WHERE customer_id = 'c0'
         UNION ALL SELECT audit_id FROM audit_customers_new WHERE customer_id = 'c0') ORDER BY id`,
      )
      .all();
    expect(found.map((r) => r.id)).toEqual(["a00", "a07", "a14", "a21", "a28"]);
    const second = auditMergeSteps(db, 10);
    let step = second.next();
    while (!step.done) step = second.next();
    expect(step.value).toBe(35);
    expect(count(db, "audit_customers")).toBe(35);
    expect(count(db, "audit_customers_new")).toBe(0);
  });

  it("does not copy rows whose audit record is gone (retention ran meanwhile)", () => {
    fill();
    db.exec("DELETE FROM audit WHERE id < 'a10'");
    const steps = auditMergeSteps(db, 100);
    let step = steps.next();
    while (!step.done) step = steps.next();
    expect(count(db, "audit_customers")).toBe(25);
    expect(count(db, "audit_customers_new")).toBe(0);
  });

  it("does nothing when nothing is recent", () => {
    const steps = auditMergeSteps(db, 10);
    const step = steps.next();
    expect(step).toEqual({ done: true, value: 0 });
  });
});

describe("auditDeleteSteps", () => {
  it("deletes old records with their rows in both tables, a few records per step", () => {
    const db = new DatabaseSync(":memory:");
    try {
      db.exec(SQLITE_AUDIT_SCHEMA);
      const audit = db.prepare("INSERT INTO audit (id, at, subject, doc) VALUES (?, ?, 's', ?)");
      const merged = db.prepare("INSERT INTO audit_customers (audit_id, customer_id) VALUES (?, ?)");
      const recent = db.prepare("INSERT INTO audit_customers_new (audit_id, customer_id) VALUES (?, ?)");
      // Ten old and ten new records with two customers each; the first half of each already merged.
      for (let i = 0; i < 20; i++) {
        const id = `a${String(i).padStart(2, "0")}`;
        const at = i < 10 ? `2024-01-${String(i + 1).padStart(2, "0")}` : "2026-11-30";
        const customers = [`c${i % 3}`, `d${i}`];
        audit.run(id, at, JSON.stringify({ id, customerIds: [...customers, customers[0]] }));
        for (const c of customers) (i % 10 < 5 ? merged : recent).run(id, c);
      }
      const steps = auditDeleteSteps(db, "2025-01-01", 3);
      let pauses = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) pauses++;
      expect(step.value).toBe(10);
      // Records three at a time (a pause after each of the 3 full steps), then the recent table's 20
      // rows by rowid in 7 slices of 3 and the index's 20 rows in 7 slices (a pause before the last).
      expect(pauses).toBe(3 + 7 + 6);
      expect(count(db, "audit")).toBe(10);
      const left = db
        .prepare(
          "SELECT audit_id FROM audit_customers UNION ALL SELECT audit_id FROM audit_customers_new ORDER BY 1",
        )
        .all()
        .map((r) => r.audit_id);
      expect(new Set(left)).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `a${i + 10}`)));
      expect(left).toHaveLength(20);
    } finally {
      db.close();
    }
  });
});

describe("AuditUpkeep when its thread dies", () => {
  it("runs the next tasks on the calling thread, with the same result", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kh-audit-fallback-"));
    const path = join(dir, "audit.db");
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA journal_mode = WAL; ${SQLITE_AUDIT_SCHEMA}`);
    const add = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        db.prepare("INSERT INTO audit (id, at, subject, doc) VALUES (?, '2026-11-30', 's', '{}')").run(
          `a${i}`,
        );
        db.prepare("INSERT INTO audit_customers_new (audit_id, customer_id) VALUES (?, 'c1')").run(`a${i}`);
      }
    };
    const upkeep = new AuditUpkeep(path);
    try {
      add(0, 10);
      expect(await upkeep.merge()).toEqual({ done: 10, recentLeft: 0 });
      // Kill the thread from outside, as a crash would.
      const worker = (upkeep as unknown as { worker: { terminate(): Promise<number> } }).worker;
      await worker.terminate();
      add(10, 25);
      expect(await upkeep.merge()).toEqual({ done: 15, recentLeft: 0 });
      expect((upkeep as unknown as { failed: boolean }).failed).toBe(true);
      expect(count(db, "audit_customers")).toBe(25);
      db.exec("UPDATE audit SET at = '2024-01-01' WHERE id < 'a2'");
      // a0, a1 and a10..a19 sort before 'a2'.
      expect((await upkeep.deleteBefore("2025-01-01")).done).toBe(12);
      expect(count(db, "audit_customers")).toBe(13);
    } finally {
      await upkeep.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SqliteStore audit merge", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "kh-audit-store-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("finds a customer's records before, during and after they move, on its upkeep thread", async () => {
    const store = new SqliteStore({ dataDir: dir, auditMergeFromRows: 1_000_000 });
    await store.init();
    const audit = new DatabaseSync(join(dir, "audit.db"));
    try {
      for (let i = 0; i < 40; i++)
        await store.appendAudit(rec(`r${String(i).padStart(2, "0")}`, [`c${i % 4}`, "shared"]));
      const of = async (customerId: string) =>
        (await store.queryAudit({ customerId, limit: 100 })).map((r) => r.id).sort();
      const before = await of("c1");
      expect(before).toHaveLength(10);
      expect(await of("shared")).toHaveLength(40);
      expect(count(audit, "audit_customers_new")).toBe(80);
      const result = await store.mergeAudit();
      expect(result).toEqual({ done: 80, recentLeft: 0 });
      expect(count(audit, "audit_customers_new")).toBe(0);
      expect(count(audit, "audit_customers")).toBe(80);
      expect(await of("c1")).toEqual(before);
      expect(await of("shared")).toHaveLength(40);
    } finally {
      audit.close();
      await store.close();
    }
  });

  it("a merge due waits while lookups go on, and starts in the lull after them", async () => {
    const store = new SqliteStore({
      dataDir: dir,
      auditMergeFromRows: 50,
      auditMergeLull: { ms: 500, appends: 0 },
    });
    await store.init();
    const audit = new DatabaseSync(join(dir, "audit.db"));
    const merges = mergesAsked(store);
    // The windows are timers on a clock of the test's own: how long a window lasts never depends on
    // how busy the machine is.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      await Promise.all(Array.from({ length: 60 }, (_, i) => store.appendAudit(rec(`x${i}`, ["c1"]))));
      // Lookups keep coming (each returning nobody), one in each of three windows of 500 ms.
      for (let w = 0; w < 3; w++) {
        await store.appendAudit(rec(`busy${w}`, []));
        await vi.advanceTimersByTimeAsync(500);
      }
      expect(merges).not.toHaveBeenCalled();
      expect(count(audit, "audit_customers_new")).toBe(60);
      // A window without any: the merge starts.
      await vi.advanceTimersByTimeAsync(500);
      expect(merges).toHaveBeenCalledTimes(1);
      vi.useRealTimers();
      await vi.waitFor(() => expect(count(audit, "audit_customers")).toBe(60), {
        timeout: 5_000,
        interval: 25,
      });
      await vi.waitFor(() => expect(count(audit, "audit_customers_new")).toBe(0), {
        timeout: 5_000,
        interval: 25,
      });
    } finally {
      vi.useRealTimers();
      audit.close();
      await store.close();
    }
  });

  it("under lookups that never pause, a merge starts once five times its rows are recent", async () => {
    const store = new SqliteStore({
      dataDir: dir,
      auditMergeFromRows: 20,
      auditMergeLull: { ms: 60_000, appends: 0 },
    });
    await store.init();
    const audit = new DatabaseSync(join(dir, "audit.db"));
    const merges = mergesAsked(store);
    try {
      await Promise.all(Array.from({ length: 60 }, (_, i) => store.appendAudit(rec(`x${i}`, ["c1"]))));
      // Due at 20 rows, waiting for a lull that does not come; at 100 (five times 20) it starts anyway.
      expect(merges).not.toHaveBeenCalled();
      expect(count(audit, "audit_customers")).toBe(0);
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.appendAudit(rec(`y${i}`, ["c2"]))));
      expect(merges).toHaveBeenCalledTimes(1);
      await vi.waitFor(() => expect(count(audit, "audit_customers")).toBe(110), {
        timeout: 5_000,
        interval: 25,
      });
    } finally {
      audit.close();
      await store.close();
    }
  });

  it("starts a merge by itself once enough rows are recent, and on start", async () => {
    const store = new SqliteStore({ dataDir: dir, auditMergeFromRows: 50 });
    await store.init();
    const audit = new DatabaseSync(join(dir, "audit.db"));
    const settled = { timeout: 5_000, interval: 25 };
    try {
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.appendAudit(rec(`x${i}`, ["c1"]))));
      expect(count(audit, "audit_customers_new")).toBe(30);
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.appendAudit(rec(`y${i}`, ["c2"]))));
      // Copied first, then cleared from the recent table.
      await vi.waitFor(
        () =>
          expect(count(audit, "audit_customers") === 60 && count(audit, "audit_customers_new") === 0).toBe(
            true,
          ),
        settled,
      );
    } finally {
      await store.close();
    }
    // Rows left recent by an earlier run (here appended by hand) are moved when the store starts.
    const row = audit.prepare("INSERT INTO audit_customers_new (audit_id, customer_id) VALUES (?, 'c3')");
    for (let i = 0; i < 60; i++) row.run(`x${i % 30}`);
    const again = new SqliteStore({ dataDir: dir, auditMergeFromRows: 50 });
    await again.init();
    try {
      await vi.waitFor(() => expect(count(audit, "audit_customers_new") === 0).toBe(true), settled);
      expect(count(audit, "audit_customers")).toBe(90);
    } finally {
      audit.close();
      await again.close();
    }
  });

  it("retention removes a record's customer rows from both tables", async () => {
    const store = new SqliteStore({ dataDir: dir, auditMergeFromRows: 1_000_000 });
    await store.init();
    const audit = new DatabaseSync(join(dir, "audit.db"));
    try {
      await store.appendAudit(rec("old1", ["c1"], "2024-01-01T00:00:00.000Z"));
      await store.mergeAudit();
      await store.appendAudit(rec("old2", ["c1"], "2024-01-02T00:00:00.000Z"));
      await store.appendAudit(rec("new1", ["c1"], "2026-11-30T00:00:00.000Z"));
      expect(await store.deleteAuditBefore("2025-01-01T00:00:00.000Z")).toBe(2);
      expect((await store.queryAudit({ customerId: "c1", limit: 10 })).map((r) => r.id)).toEqual(["new1"]);
      expect(count(audit, "audit_customers")).toBe(0);
      expect(count(audit, "audit_customers_new")).toBe(1);
    } finally {
      audit.close();
      await store.close();
    }
  });

  it("closes while a merge runs; what is left moves on the next start", async () => {
    const store = new SqliteStore({ dataDir: dir, auditMergeFromRows: 1_000_000 });
    await store.init();
    for (let i = 0; i < 200; i++)
      await store.appendAudit(
        rec(
          `r${String(i).padStart(3, "0")}`,
          Array.from({ length: 50 }, (_, k) => `c${(i * 50 + k) % 997}`),
        ),
      );
    const merging = store.mergeAudit();
    await store.close();
    // Either done or stopped after a step; never an error the caller has to handle.
    const result = await merging;
    expect(result.done === 10_000 || result.error !== undefined).toBe(true);
    const again = new SqliteStore({ dataDir: dir, auditMergeFromRows: 1_000_000 });
    await again.init();
    try {
      expect((await again.mergeAudit()).error).toBeUndefined();
      const audit = new DatabaseSync(join(dir, "audit.db"));
      expect(count(audit, "audit_customers")).toBe(10_000);
      expect(count(audit, "audit_customers_new")).toBe(0);
      audit.close();
      expect(await again.queryAudit({ customerId: "c5", limit: 100 })).toHaveLength(
        Array.from({ length: 10_000 }, (_, n) => n % 997).filter((c) => c === 5).length,
      );
    } finally {
      await again.close();
    }
  });
});

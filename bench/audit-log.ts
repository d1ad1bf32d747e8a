/**
 * The embedded audit log under load: `node bench/audit-log.ts [records=200000] [customersPerRecord=10]`.
 * Builds an audit.db of `records` records (half from 2024, half from this month), each naming
 * `customersPerRecord` random customers out of 1,000,000, then with the real SQLite store:
 * 1. appends 20,000 records as lookups do (16 at a time, one group commit per event-loop turn) and
 *    prints the HTTP thread's CPU per record;
 * 2. runs audit retention (`deleteAuditBefore` 2025-01-01, half the log) while one lookup's record is
 *    appended every 5 ms, and prints the time, the worst event-loop lag (a 5 ms timer), the append
 *    latency and peak RSS.
 * Copied into another checkout, it runs the same steps against that tree's store.
 * Current figures: docs/benchmarks.md, "Audit log".
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { DatabaseSync } from "node:sqlite";
import type { AuditRecord } from "../src/domain/model.ts";
import { SQLITE_AUDIT_SCHEMA } from "../src/store/sqlite-schema.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";

const [records = 200_000, perRecord = 10] = process.argv.slice(2).map(Number);
const root = mkdtempSync(join(tmpdir(), "kh-audit-bench-"));
const dataDir = join(root, "data");
const customers = Array.from({ length: 1_000_000 }, () => randomUUID());
const pick = () =>
  Array.from({ length: perRecord }, () => customers[(Math.random() * customers.length) | 0]!);
const record = (id: string, at: string): AuditRecord => ({
  id,
  at,
  subject: "agent-bench",
  roles: ["agent"],
  endpoint: "POST /v1/search",
  fields: ["name", "postcode", "houseNumber"],
  queryHash: "0".repeat(64),
  customerIds: [...new Set(pick())],
  outcome: "ok",
  status: 200,
});

let t0 = performance.now();
{
  const { mkdirSync } = await import("node:fs");
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, "audit.db"));
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA cache_size = -262144; ${SQLITE_AUDIT_SCHEMA}
    CREATE TEMP TABLE rows (audit_id TEXT, customer_id TEXT);`);
  const audit = db.prepare("INSERT INTO audit (id, at, subject, doc) VALUES (?, ?, ?, ?)");
  const row = db.prepare("INSERT INTO temp.rows VALUES (?, ?)");
  db.exec("BEGIN");
  for (let i = 0; i < records; i++) {
    const old = i < records / 2;
    const ms = old ? Date.UTC(2024, 0, 1) + i * 60_000 : Date.UTC(2026, 10, 1) + i * 1_000;
    const r = record(
      `${ms.toString(16).padStart(12, "0")}-${randomUUID().slice(13)}`,
      new Date(ms).toISOString(),
    );
    audit.run(r.id, r.at, r.subject, JSON.stringify(r));
    for (const c of r.customerIds) row.run(r.id, c);
  }
  db.exec(`INSERT INTO audit_customers (audit_id, customer_id)
    SELECT audit_id, customer_id FROM temp.rows ORDER BY customer_id, audit_id; COMMIT;
    PRAGMA wal_checkpoint(TRUNCATE);`);
  db.close();
}
console.log(
  `built ${records} records x ${perRecord} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const store = new SqliteStore({ dataDir });
await store.init();

// 1. Appends as lookups make them: 16 records a turn.
{
  const n = 20_000;
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  for (let i = 0; i < n; i += 16)
    await Promise.all(
      Array.from({ length: 16 }, () => store.appendAudit(record(randomUUID(), new Date().toISOString()))),
    );
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `append: ${n} records, ${((performance.now() - t0) / n).toFixed(3)} ms wall and ` +
      `${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} CPU-ms a record on this thread`,
  );
}

// 2. Retention of half the log while lookups go on.
{
  let worstLag = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worstLag = Math.max(worstLag, now - last - 5);
    last = now;
  }, 5);
  const latencies: number[] = [];
  let appending = true;
  const appender = (async () => {
    while (appending) {
      const started = performance.now();
      await store.appendAudit(record(randomUUID(), new Date().toISOString()));
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  // The worst garbage-collection pause meanwhile, to tell it from the store's own stalls.
  let worstGc = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) worstGc = Math.max(worstGc, e.duration);
  });
  gc.observe({ entryTypes: ["gc"] });
  let peak = 0;
  const rss = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  t0 = performance.now();
  const deleted = await store.deleteAuditBefore("2025-01-01T00:00:00.000Z");
  const seconds = (performance.now() - t0) / 1000;
  appending = false;
  await appender;
  clearInterval(timer);
  clearInterval(rss);
  gc.disconnect();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  console.log(
    `retention: ${deleted} records deleted in ${seconds.toFixed(1)} s; worst event-loop lag ${worstLag.toFixed(0)} ms (worst GC pause ${worstGc.toFixed(0)} ms); ` +
      `${latencies.length} appends meanwhile, p50 ${pct(0.5).toFixed(1)} / p99 ${pct(0.99).toFixed(1)} / max ${(latencies.at(-1) ?? NaN).toFixed(1)} ms; ` +
      `peak RSS ${(peak / 1024 ** 2).toFixed(0)} MiB`,
  );
}
await store.close();
{
  // Nothing old is left, and no customer row points at a deleted record.
  const db = new DatabaseSync(join(dataDir, "audit.db"));
  const n = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
  const old = n("SELECT count(*) AS n FROM audit WHERE at < '2025'");
  // (An older tree has no audit_customers_new.)
  const recent = n("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'audit_customers_new'") > 0;
  const orphans = n(`SELECT count(*) AS n FROM (SELECT audit_id FROM audit_customers
    ${recent ? "UNION ALL SELECT audit_id FROM audit_customers_new" : ""}) WHERE audit_id NOT IN (SELECT id FROM audit)`);
  db.close();
  if (old + orphans > 0) throw new Error(`retention left ${old} old records and ${orphans} orphaned rows`);
}
rmSync(root, { recursive: true, force: true });

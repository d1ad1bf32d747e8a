import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Customer } from "../src/domain/model.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { aCustomer, aPolicy } from "./store.contract.ts";
import { anAuditRecord } from "./support/audit-record.ts";
import { steppingSliceClock, turnsDuring } from "./support/event-loop.ts";

const dirs: string[] = [];
const stores: SqliteStore[] = [];
// Every look at the slice clock finds the slice used up: when work hands the event loop back depends on
// the code alone, never on how fast this machine runs it.
let restoreClock: () => void;
beforeEach(() => {
  restoreClock = steppingSliceClock();
});
afterEach(async () => {
  restoreClock();
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function open(dir?: string, walPassFromBytes?: number): Promise<SqliteStore> {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), "kh-slices-"));
  if (!dir) dirs.push(dataDir);
  const store = new SqliteStore({ dataDir, ...(walPassFromBytes !== undefined ? { walPassFromBytes } : {}) });
  await store.init();
  stores.push(store);
  return store;
}

/** Customers with two identity keys each and a partner reference. */
const many = (n: number, prefix = "c"): Customer[] =>
  Array.from({ length: n }, (_, i) =>
    aCustomer({
      customerId: `${prefix}${String(i).padStart(6, "0")}`,
      matchKeys: [`R|VOLMACHT-A|${prefix}${i}`, `P|berg|j|1970-01-01|1234ab|${prefix}${i}`],
      partnerRefs: [{ partner: "VOLMACHT-A", partnerCustomerNumber: `${prefix}${i}` }],
    }),
  );

const audit = (id: string) => anAuditRecord(id, ["c000001"], "2026-12-01T10:00:00.000Z");

describe("SqliteStore: a big write shares the thread", () => {
  it("lets the event loop run while it writes; reads meanwhile see only committed data", async () => {
    const store = await open();
    await store.putCustomers([aCustomer({ customerId: "before" })]);
    const seen: Array<{ count: number; first: Customer | null }> = [];
    let writing = true;
    const observe = async () => {
      while (writing) {
        seen.push({ count: await store.countCustomers(), first: await store.getCustomer("c000000") });
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const write = store.putCustomers(many(2_000)).finally(() => {
      writing = false;
    });
    await Promise.all([write, observe()]);
    // The loop ran during the write, and never saw it half done.
    expect(seen.length).toBeGreaterThan(1);
    for (const s of seen) expect(s).toEqual({ count: 1, first: null });
    expect(await store.countCustomers()).toBe(2_001);
  });

  it("keeps an audit record written meanwhile, in its own database file", async () => {
    const store = await open();
    const settled: string[] = [];
    const write = store.putCustomers(many(2_000)).then(() => settled.push("customers"));
    const append = store.appendAudit(audit("a1")).then(() => settled.push("audit"));
    await Promise.all([write, append]);
    // The audit commit did not wait for the customers' transaction to end.
    expect(settled).toEqual(["audit", "customers"]);
    expect((await store.queryAudit({ customerId: "c000001", limit: 5 })).map((r) => r.id)).toEqual(["a1"]);
  });

  it("queues other writes behind a running one; a failed batch rolls back alone", async () => {
    const store = await open();
    const bad = many(5_000);
    // JSON.stringify throws on a BigInt: the 4,000th customer fails the transaction part-way.
    (bad[4_000] as unknown as { extra: bigint }).extra = 1n;
    const failing = store.putCustomers(bad);
    const policy = store.putPolicies([aPolicy({ customerId: "before" })]);
    const job = store.putJob({
      id: "j1",
      kind: "reindex",
      status: "queued",
      createdAt: "2026-12-01T10:00:00.000Z",
    } as never);
    await expect(failing).rejects.toThrow(/BigInt/);
    await Promise.all([policy, job]);
    expect(await store.countCustomers()).toBe(0);
    expect(await store.findCustomersByMatchKeys(["R|VOLMACHT-A|c0"])).toEqual({
      customerIds: new Map(),
      customers: [],
    });
    expect((await store.getPolicies([{ partner: "VOLMACHT-A", policyNumber: "P-1" }])).length).toBe(1);
    expect((await store.getJob("j1"))?.id).toBe("j1");
  });

  it("answers chunked reads of many ids in the documented order", async () => {
    const store = await open();
    const customers = many(5_000);
    await store.putCustomers(customers);
    await store.putPolicies(
      customers.map((c, i) => aPolicy({ policyNumber: `P-${i}`, customerId: c.customerId })),
    );
    const ids = customers.map((c) => c.customerId).reverse();
    const got = await store.getCustomers([...ids, ...ids.slice(0, 10)]);
    expect(got.map((c) => c.customerId)).toEqual([...ids].sort());
    const policies = await store.policiesOfCustomers(ids);
    expect(policies.map((p) => p.customerId)).toEqual([...ids].sort());
    const found = await store.findCustomersByMatchKeys(customers.flatMap((c) => c.matchKeys));
    expect(found.customerIds.size).toBe(10_000);
    expect(found.customerIds.get("R|VOLMACHT-A|c4999")).toBe("c004999");
    expect(found.customers.map((c) => c.customerId)).toEqual(ids.toSorted());
  });
});

describe("SqliteStore: lineage scans and chains of small writes", () => {
  it("finds a delivery's customers and policies across scan pages, sharing the thread meanwhile", async () => {
    const store = await open();
    // 24,000 customers (more than two scan pages); every third carries delivery d2, the rest d1 only.
    const customers = many(24_000).map((c, i) => ({
      ...c,
      deliveryIds: i % 3 === 0 ? ["d1", "d2"] : ["d1"],
    }));
    await store.putCustomers(customers);
    await store.putPolicies(
      customers.map((c, i) =>
        aPolicy({ policyNumber: `P-${i}`, customerId: c.customerId, deliveryIds: c.deliveryIds }),
      ),
    );
    const expected = customers.filter((_, i) => i % 3 === 0).map((c) => c.customerId);
    const ids = await turnsDuring(store.customerIdsByDelivery("d2"));
    const keys = await turnsDuring(store.policyKeysByDelivery("d2"));
    expect(ids.value).toEqual(expected);
    expect(ids.turns).toBeGreaterThan(1);
    expect(keys.value.map((k) => k.policyNumber).sort()).toEqual(
      customers.flatMap((_, i) => (i % 3 === 0 ? [`P-${i}`] : [])).sort(),
    );
    expect(keys.turns).toBeGreaterThan(1);
    // A delivery id that is only a substring of a lineage entry does not count.
    expect(await store.customerIdsByDelivery("d")).toEqual([]);
  });

  it("yields between many short writes chained by promises, not only within a long one", async () => {
    const store = await open();
    const chain = (async () => {
      for (let i = 0; i < 300; i++) await store.putPolicies([aPolicy({ policyNumber: `P-${i}` })]);
    })();
    const { turns } = await turnsDuring(chain);
    expect(turns).toBeGreaterThan(1);
    expect(await store.policyNumbersOfPartner("VOLMACHT-A")).toHaveLength(300);
  });

  it("reads a partner's policy numbers over several pages, in order, sharing the thread", async () => {
    const store = await open();
    const numbers = Array.from({ length: 45_000 }, (_, i) => `P-${String(i).padStart(6, "0")}`);
    await store.putPolicies([
      ...numbers.map((policyNumber) => aPolicy({ policyNumber })),
      aPolicy({ partner: "VOLMACHT-B", policyNumber: "P-000001" }),
      aPolicy({ partner: "VOLMACHT-B", policyNumber: "P-999999" }),
    ]);
    const read = await turnsDuring(store.policyNumbersOfPartner("VOLMACHT-A"));
    expect(read.value).toEqual(numbers);
    expect(read.turns).toBeGreaterThan(1);
    expect(await store.policyNumbersOfPartner("VOLMACHT-B")).toEqual(["P-000001", "P-999999"]);
  });
});

describe("SqliteStore: WAL checkpoints on their own thread", () => {
  it("runs a pass on its own thread after a commit once the WAL is past the size, and one asked for", async () => {
    const store = await open(undefined, 64 * 1024);
    expect(store.checkpoints).toBe(0);
    await store.putCustomers(many(2_000));
    await vi.waitFor(() => expect(store.checkpoints).toBe(1), { timeout: 10_000 });
    const result = await store.checkpoint();
    expect(store.checkpoints).toBe(2);
    expect(result).toMatchObject({ busy: 0, checkpointed: result.log });
    expect(await store.countCustomers()).toBe(2_000);
  });

  it("leaves a WAL below the size to the writer's own checkpoint", async () => {
    const store = await open();
    await store.putCustomers(many(2_000));
    // A pass the commit had started would run first, and this one after it.
    await store.checkpoint();
    expect(store.checkpoints).toBe(1);
  });
});

describe("SqliteStore: an audit log of the earlier layout", () => {
  it("moves into audit.db on start, every record and customer link kept", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kh-audit-move-"));
    dirs.push(dir);
    const old = new DatabaseSync(join(dir, "klantherkenning.db"));
    old.exec(`CREATE TABLE audit (id TEXT PRIMARY KEY, at TEXT NOT NULL, subject TEXT NOT NULL, doc TEXT NOT NULL) STRICT;
      CREATE INDEX audit_at ON audit (at);
      CREATE TABLE audit_customers (audit_id TEXT NOT NULL, customer_id TEXT NOT NULL,
        PRIMARY KEY (customer_id, audit_id)) STRICT, WITHOUT ROWID;`);
    for (const id of ["a1", "a2"]) {
      const r = audit(id);
      old.prepare("INSERT INTO audit VALUES (?, ?, ?, ?)").run(r.id, r.at, r.subject, JSON.stringify(r));
      old.prepare("INSERT INTO audit_customers VALUES (?, ?)").run(r.id, "c000001");
    }
    old.close();

    const store = await open(dir);
    expect(existsSync(join(dir, "audit.db"))).toBe(true);
    const found = await store.queryAudit({ customerId: "c000001", limit: 10 });
    expect(found.map((r) => r.id).sort()).toEqual(["a1", "a2"]);
    await store.close();
    stores.splice(0);
    const check = new DatabaseSync(join(dir, "klantherkenning.db"));
    expect(check.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'audit%'").all()).toEqual([]);
    check.close();
  });
});

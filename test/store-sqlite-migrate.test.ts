import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { aPolicy } from "./store.contract.ts";

describe("SqliteStore on a database of the earlier policies layout", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("keeps every policy, finds it by key and by number, and upserts instead of duplicating", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kh-store-migrate-"));
    dirs.push(dir);
    const old = new DatabaseSync(join(dir, "klantherkenning.db"));
    old.exec(`CREATE TABLE policies (
      partner TEXT NOT NULL, policy_number TEXT NOT NULL, customer_id TEXT NOT NULL, doc TEXT NOT NULL,
      PRIMARY KEY (partner, policy_number)) STRICT;
      CREATE INDEX policies_customer ON policies (customer_id);
      CREATE INDEX policies_number ON policies (policy_number);`);
    const insert = old.prepare("INSERT INTO policies VALUES (?, ?, ?, ?)");
    for (const p of [aPolicy(), aPolicy({ partner: "TUSSEN-B", customerId: "c2" })])
      insert.run(p.partner, p.policyNumber, p.customerId, JSON.stringify(p));
    old.close();

    const store = new SqliteStore({ dataDir: dir });
    await store.init();
    expect((await store.findPoliciesByNumber("P-1")).map((p) => p.partner)).toEqual([
      "TUSSEN-B",
      "VOLMACHT-A",
    ]);
    await store.putPolicies([aPolicy({ customerId: "c3" })]);
    const [again] = await store.getPolicies([{ partner: "VOLMACHT-A", policyNumber: "P-1" }]);
    expect(again?.customerId).toBe("c3");
    expect(await store.policyNumbersOfPartner("VOLMACHT-A")).toEqual(["P-1"]);
    await store.close();

    const check = new DatabaseSync(join(dir, "klantherkenning.db"));
    const indexes = check
      .prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'policies' AND type = 'index'")
      .all();
    expect(indexes.map((r) => r.name).sort()).toEqual(["policies_customer", "policies_key"]);
    check.close();
  });
});

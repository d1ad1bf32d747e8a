import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditRecord } from "../../src/domain/model.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("GET /v1/audit (admin)", () => {
  it("filters by subject, newest first, and records the audit query itself", async () => {
    const a = await h.token("agent", { sub: "agent-x" });
    const b = await h.token("agent", { sub: "agent-y" });
    await h.call("POST", "/v1/search", { token: a, json: { name: "Berg" } });
    await h.call("POST", "/v1/callers", { token: a, json: { phone: "0612345678" } });
    await h.call("POST", "/v1/search", { token: b, json: { name: "Vries" } });
    const admin = await h.token("admin", { sub: "auditor" });
    const res = await h.call("GET", "/v1/audit?subject=agent-x", { token: admin });
    expect(res.status).toBe(200);
    const { records } = (await res.json()) as { records: AuditRecord[] };
    expect(records.map((r) => r.endpoint)).toEqual(["POST /v1/callers", "POST /v1/search"]);
    expect(records.every((r) => r.subject === "agent-x")).toBe(true);
    const [own] = await h.audit();
    expect(own).toMatchObject({ subject: "auditor", endpoint: "GET /v1/audit", fields: ["subject"] });
  });

  it("filters by time window and limit", async () => {
    const admin = await h.token("admin");
    const future = await h.call("GET", "/v1/audit?from=2999-01-01T00:00:00Z", { token: admin });
    expect(((await future.json()) as { records: unknown[] }).records).toEqual([]);
    const one = await h.call("GET", "/v1/audit?limit=1", { token: admin });
    expect(((await one.json()) as { records: unknown[] }).records.length).toBe(1);
  });
});

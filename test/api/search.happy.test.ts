import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditTextWithoutGeneratedValues } from "../support/audit-record.ts";
import { loadPortfolio, SEARCHED } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";
import { expectHasMoreToTell } from "./support/has-more.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await loadPortfolio(h);
});
afterAll(() => h?.close());

describe("POST /v1/search and /v1/callers (agent)", () => {
  it("finds the customer by name, birth date and postcode, best first, with policies", async () => {
    const token = await h.token("agent", { sub: "agent-anna" });
    const res = await h.call("POST", "/v1/search", { token, json: SEARCHED });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      results: Array<{
        customerId: string;
        confidence: number;
        customer: { surname?: string };
        policies: Array<{ policyNumber: string }>;
      }>;
      tookMs: number;
    };
    expect(body.results[0]?.customer.surname).toBe("Berg");
    expect(body.results[0]?.policies.map((p) => p.policyNumber)).toContain("VA-1001");
    expect(typeof body.tookMs).toBe("number");
  });

  it("says whether more customers matched than it shows (hasMore)", async () => {
    await expectHasMoreToTell(h);
  });

  it("leaves exactly one audit record naming the agent and the customers returned, and none of the values", async () => {
    const token = await h.token("agent", { sub: "agent-bob" });
    const before = (await h.audit()).length;
    const res = await h.call("POST", "/v1/search", { token, json: SEARCHED });
    const body = (await res.json()) as { results: Array<{ customerId: string }> };
    const records = await h.audit();
    expect(records.length).toBe(before + 1);
    const record = records[0]!;
    expect(record).toMatchObject({
      subject: "agent-bob",
      roles: ["agent"],
      endpoint: "POST /v1/search",
      outcome: "ok",
      status: 200,
      fields: ["birthDate", "name", "postcode"],
    });
    expect(record.customerIds).toEqual(body.results.map((r) => r.customerId));
    expect(record.customerIds.length).toBeGreaterThan(0);
    expect(record.queryHash).toMatch(/^[0-9a-f]{64}$/);
    const stored = auditTextWithoutGeneratedValues(record).toLowerCase();
    for (const value of [...Object.values(SEARCHED), "berg", "1975", "1234"]) {
      expect(stored).not.toContain(value.toLowerCase());
    }
  });

  it("the same query twice has the same keyed hash; a different one does not", async () => {
    const token = await h.token("agent", { sub: "agent-carl" });
    await h.call("POST", "/v1/search", { token, json: SEARCHED });
    await h.call("POST", "/v1/search", {
      token,
      json: { postcode: SEARCHED.postcode, name: SEARCHED.name, birthDate: SEARCHED.birthDate },
    });
    await h.call("POST", "/v1/search", { token, json: { name: "Jansen" } });
    const [c, b, a] = await h.audit();
    expect(a!.queryHash).toBe(b!.queryHash);
    expect(c!.queryHash).not.toBe(b!.queryHash);
  });

  it("identifies a caller by phone number in another notation", async () => {
    const token = await h.token("agent");
    const res = await h.call("POST", "/v1/callers", { token, json: { phone: "+31 6 1234 5678" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      results: Array<{ customerId: string; customer: { surname?: string } }>;
    };
    expect(body.results.map((r) => r.customer.surname)).toEqual(["Berg"]);
    const [record] = await h.audit();
    expect(record).toMatchObject({
      endpoint: "POST /v1/callers",
      fields: ["phone"],
      customerIds: [body.results[0]!.customerId],
    });
    expect(auditTextWithoutGeneratedValues(record!)).not.toContain("5678");
  });

  it("GET /v1/customers/{id} answers the customer with policies, and is audited with the id", async () => {
    const token = await h.token("agent", { sub: "agent-dora" });
    const search = await h.call("POST", "/v1/search", { token, json: { name: "Maria Jansen" } });
    const id = ((await search.json()) as { results: Array<{ customerId: string }> }).results[0]!.customerId;
    const res = await h.call("GET", `/v1/customers/${id}`, { token });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("Jansen");
    expect(text).toContain("VA-1002");
    const [record] = await h.audit();
    expect(record).toMatchObject({
      endpoint: "GET /v1/customers/:customerId",
      customerIds: [id],
      outcome: "ok",
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPortfolio } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  await loadPortfolio(h);
  token = await h.token("agent", { sub: "agent-err" });
});
afterAll(() => h?.close());

const problem = async (res: Response) => {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as {
    code: string;
    status: number;
    errors?: Array<{ path: string }>;
    detail: string;
  };
};

describe("search, callers and customers: errors are problem documents", () => {
  it("a limit above 50 is a 400 naming body.limit", async () => {
    const res = await h.call("POST", "/v1/search", { token, json: { name: "Berg", limit: 51 } });
    expect(res.status).toBe(400);
    const p = await problem(res);
    expect(p.code).toBe("VALIDATION_FAILED");
    expect(p.errors?.map((e) => e.path)).toContain("body.limit");
  });

  it("an unknown field is a 400, and its value is not echoed", async () => {
    const res = await h.call("POST", "/v1/search", { token, json: { bsn: "123456782" } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await problem(res))).not.toContain("123456782");
  });

  it("a body that is not JSON is a 400", async () => {
    const res = await h.call("POST", "/v1/search", {
      token,
      body: "{name:",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect((await problem(res)).code).toBe("VALIDATION_FAILED");
  });

  it("a body over 64 KiB is a 413", async () => {
    const res = await h.call("POST", "/v1/search", { token, json: { q: "x".repeat(70_000) } });
    expect(res.status).toBe(413);
    expect((await problem(res)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("callers without a phone is a 400", async () => {
    const res = await h.call("POST", "/v1/callers", { token, json: {} });
    expect(res.status).toBe(400);
    expect((await problem(res)).errors?.map((e) => e.path)).toContain("body.phone");
  });

  it("an unknown customer is a 404, audited as not_found", async () => {
    const res = await h.call("GET", "/v1/customers/no-such-customer", { token });
    expect(res.status).toBe(404);
    expect((await problem(res)).code).toBe("NOT_FOUND");
    const [record] = await h.audit();
    expect(record).toMatchObject({
      endpoint: "GET /v1/customers/:customerId",
      outcome: "not_found",
      customerIds: [],
    });
  });

  it("an unknown route is a 404 problem (after authentication)", async () => {
    const res = await h.call("GET", "/v1/nothing-here", { token });
    expect(res.status).toBe(404);
    expect((await problem(res)).code).toBe("NOT_FOUND");
    expect((await h.call("GET", "/nothing")).status).toBe(404);
  });

  it("when the audit cannot be written the lookup fails closed: 503 and no data", async () => {
    const store = h.system.services.store;
    const original = store.appendAudit.bind(store);
    store.appendAudit = async () => {
      throw new Error("disk full");
    };
    try {
      const res = await h.call("POST", "/v1/search", { token, json: { name: "Berg" } });
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text).code).toBe("AUDIT_UNAVAILABLE");
      expect(text).not.toContain("Berg");
      expect(text).not.toContain("customerId");
    } finally {
      store.appendAudit = original;
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPortfolio, SEARCHED } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";
import { expectHasMoreToTell } from "./support/has-more.ts";

// The same service with the search on a worker thread (default) and in the HTTP thread.
const harnesses: Record<string, Harness> = {};
beforeAll(async () => {
  for (const mode of ["on", "off"]) {
    const h = await startHarness({ SEARCH_WORKER: mode });
    await loadPortfolio(h);
    harnesses[mode] = h;
  }
});
afterAll(() => Promise.all(Object.values(harnesses).map((h) => h.close())));

// Customer ids are minted per service at intake, so they differ between the two; the rest may not.
const comparable = (body: { results: Array<{ customerId: string }> }) =>
  body.results.map(({ customerId: _id, ...rest }) => rest);

describe("POST /v1/search and /v1/callers with SEARCH_WORKER on and off", () => {
  it("answer the same JSON, and each audit record names the customers returned", async () => {
    const bodies: unknown[] = [];
    for (const h of Object.values(harnesses)) {
      const token = await h.token("agent", { sub: "agent-dora" });
      const res = await h.call("POST", "/v1/search", { token, json: SEARCHED });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await res.json()) as { results: Array<{ customerId: string }>; tookMs: number };
      expect(body.results.length).toBeGreaterThan(0);
      const [record] = await h.audit();
      expect(record!.customerIds).toEqual(body.results.map((r) => r.customerId));
      bodies.push(comparable(body));
    }
    expect(bodies[0]).toEqual(bodies[1]);
  });

  it("tell whether more customers matched than they show", async () => {
    for (const h of Object.values(harnesses)) await expectHasMoreToTell(h);
  });

  it("refuse the same bad query with the same 400 problem", async () => {
    const codes: unknown[] = [];
    for (const h of Object.values(harnesses)) {
      const token = await h.token("agent");
      const res = await h.call("POST", "/v1/callers", { token, json: { phone: "no number here" } });
      expect(res.status).toBe(400);
      codes.push(((await res.json()) as { code: string }).code);
    }
    expect(codes).toEqual(["VALIDATION_FAILED", "VALIDATION_FAILED"]);
  });
});

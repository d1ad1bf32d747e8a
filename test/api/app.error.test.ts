import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, PROBLEM_KEYS, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("the application's endpoints refuse bad input with a problem document", () => {
  it.each([
    [{ role: "superuser", name: "x" }, "body.role"],
    [{ role: "agent", name: "" }, "body.name"],
    [{ role: "agent", name: "<script>" }, "body.name"],
    [{ role: "agent", name: "x", extra: 1 }, "body"],
  ])("dev token %j is a 400 naming %s", async (json, path) => {
    const res = await h.call("POST", "/app/dev-token", { json });
    expect(res.status).toBe(400);
    const p = (await res.json()) as { code: string; errors: Array<{ path: string }> };
    expect(p.code).toBe("VALIDATION_FAILED");
    expect(p.errors.map((e) => e.path)).toContain(path);
    for (const k of Object.keys(p)) expect(PROBLEM_KEYS.has(k)).toBe(true);
  });

  it("a dev-token body over 1 KiB is a 413", async () => {
    const res = await h.call("POST", "/app/dev-token", { json: { role: "agent", name: "x".repeat(2000) } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it.each([
    [{ events: [] }],
    [{ events: [{ measure: "card", start: "search" }] }],
    [{ events: [{ measure: "no-customer", start: "search", ms: 5 }] }],
    [{ events: [{ measure: "card", start: "search", ms: -1 }] }],
    [{ events: [{ measure: "card", start: "search", ms: 5, name: "Jansen" }] }],
    [{ events: Array.from({ length: 21 }, () => ({ measure: "no-customer", start: "search" })) }],
  ])("timings %j are a 400 and nothing is recorded", async (json) => {
    const token = await h.token("agent");
    const res = await h.call("POST", "/v1/app/timings", { token, json });
    expect(res.status).toBe(400);
    const report = await h.call("GET", "/v1/app/timings", { token: await h.token("admin") });
    expect(await report.json()).toEqual({ days: [] });
  });

  it("sources of an unknown customer are a 404", async () => {
    const res = await h.call("GET", "/v1/customers/nobody/sources", { token: await h.token("agent") });
    expect(res.status).toBe(404);
  });

  it("an asset that is not there, or a path outside the assets, is a 404", async () => {
    expect((await h.call("GET", "/assets/nothing-here.js")).status).toBe(404);
    expect((await h.call("GET", "/assets/..%2F..%2Fpackage.json")).status).toBe(404);
    expect((await h.call("GET", "/assets/.env.js")).status).toBe(404);
  });
});

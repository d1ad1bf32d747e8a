import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("GET /v1/audit: errors", () => {
  it("a limit above 1000, a bad time or an unknown filter is a 400 problem", async () => {
    const admin = await h.token("admin");
    expect((await h.call("GET", "/v1/audit?limit=5000", { token: admin })).status).toBe(400);
    expect((await h.call("GET", "/v1/audit?from=yesterday", { token: admin })).status).toBe(400);
    const res = await h.call("GET", "/v1/audit?name=Jansen", { token: admin });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});

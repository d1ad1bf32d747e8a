import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_BOT_PER_MINUTE: "3" });
});
afterAll(() => h?.close());

describe("POST /v1/verifications: errors and limits", () => {
  it("one identifying attribute is a 400", async () => {
    const token = await h.token("intake-bot", { sub: "bot-a" });
    const res = await h.call("POST", "/v1/verifications", { token, json: { policyNumber: "VA-1001" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("VALIDATION_FAILED");
  });

  it("an unknown attribute is a 400 (the bot cannot ask for more)", async () => {
    const token = await h.token("intake-bot", { sub: "bot-b" });
    const res = await h.call("POST", "/v1/verifications", {
      token,
      json: { policyNumber: "VA-1001", birthDate: "12-03-1975", email: "x@example.nl" },
    });
    expect(res.status).toBe(400);
  });

  it("an unknown legal area or question kind is a 400 naming the field", async () => {
    const token = await h.token("intake-bot", { sub: "bot-d" });
    for (const [field, value] of [
      ["legalArea", "strafrecht"],
      ["questionKind", "complaint"],
    ]) {
      const res = await h.call("POST", "/v1/verifications", {
        token,
        json: { policyNumber: "VA-1001", birthDate: "12-03-1975", [field as string]: value },
      });
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { code: string; errors?: Array<{ path: string }> };
      expect(problem.code).toBe("VALIDATION_FAILED");
      expect(problem.errors?.map((e) => e.path)).toEqual([`body.${field}`]);
    }
  });

  it("more than the per-subject limit per minute is a 429 with Retry-After, recorded as rate_limited", async () => {
    const token = await h.token("intake-bot", { sub: "bot-c" });
    const json = { policyNumber: "X-1", birthDate: "01-01-1990" };
    for (let i = 0; i < 3; i++)
      expect((await h.call("POST", "/v1/verifications", { token, json })).status).toBe(200);
    const res = await h.call("POST", "/v1/verifications", { token, json });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await res.json()) as { code: string }).code).toBe("RATE_LIMITED");
    expect((await h.call("POST", "/v1/verifications", { token, json })).status).toBe(429);
    // The burst of refusals is one record with its count, written when the burst ends (here: flushed).
    await h.system.app.flushAudit();
    const [record] = await h.audit();
    expect(record).toMatchObject({ subject: "bot-c", outcome: "rate_limited", status: 429, count: 2 });
    // Another bot subject has its own window.
    const other = await h.token("intake-bot", { sub: "bot-d" });
    expect((await h.call("POST", "/v1/verifications", { token: other, json })).status).toBe(200);
  });
});

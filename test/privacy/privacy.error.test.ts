import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, PROBLEM_KEYS, startHarness } from "../api/support/harness.ts";
import { PHONE_POLICY } from "../api/support/phone-policy.ts";
import { runJob } from "./support/api.ts";

let h: Harness;
let officer: string;
beforeAll(async () => {
  h = await startHarness();
  officer = await h.token("privacy", { sub: "fg-anna" });
});
afterAll(() => h?.close());

async function problem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.code).toBe(code);
  for (const key of Object.keys(body)) expect(PROBLEM_KEYS.has(key)).toBe(true);
  return body;
}

describe("privacy endpoints: bad input gets a clear problem and changes nothing", () => {
  it("a subject report or an erasure for an unknown customer is a 404; nothing is queued", async () => {
    const json = { customerId: "0190aaaa-0000-7000-8000-000000000000" };
    await problem(
      await h.call("POST", "/v1/privacy/subject-report", { token: officer, json }),
      404,
      "NOT_FOUND",
    );
    await problem(
      await h.call("POST", "/v1/privacy/erasure", { token: officer, json: { ...json, reason: "Verzoek 1" } }),
      404,
      "NOT_FOUND",
    );
    expect(h.system.services.jobs.pending()).toBe(0);
    expect(await h.system.services.store.recentJobs("erasure", 1)).toEqual([]);
  });

  it.each([
    ["no reason", { customerId: "c1" }],
    ["an empty reason", { customerId: "c1", reason: "" }],
    ["a reason of blanks", { customerId: "c1", reason: "   " }],
    ["a reason over 500 characters", { customerId: "c1", reason: "x".repeat(501) }],
  ])("an erasure with %s is a 400 naming body.reason", async (_what, json) => {
    const body = await problem(
      await h.call("POST", "/v1/privacy/erasure", { token: officer, json }),
      400,
      "VALIDATION_FAILED",
    );
    expect(body.errors).toEqual([expect.objectContaining({ path: "body.reason" })]);
  });

  it.each([
    ["no customer id", "/v1/privacy/subject-report", {}],
    ["a customer id that is no id", "/v1/privacy/subject-report", { customerId: "../../etc" }],
    ["an unknown field", "/v1/privacy/subject-report", { customerId: "c1", name: "Jansen" }],
    ["no customer id", "/v1/privacy/erasure", { reason: "Verzoek 1" }],
  ])("%s on %s is a 400", async (_what, path, json) => {
    await problem(await h.call("POST", path, { token: officer, json }), 400, "VALIDATION_FAILED");
  });

  it("an unknown erasure, or another job's id, is a 404 to the privacy officer", async () => {
    await problem(await h.call("GET", "/v1/privacy/erasure/nope", { token: officer }), 404, "NOT_FOUND");
    const purge = await runJob(h, { type: "purge" });
    await problem(
      await h.call("GET", `/v1/privacy/erasure/${purge.id}`, { token: officer }),
      404,
      "NOT_FOUND",
    );
  });

  it("the privacy role records no phone policy and starts no job", async () => {
    await problem(
      await h.call("POST", "/v1/phone-policies", { token: officer, json: PHONE_POLICY }),
      403,
      "FORBIDDEN",
    );
    await problem(
      await h.call("POST", "/v1/jobs", { token: officer, json: { type: "purge" } }),
      403,
      "FORBIDDEN",
    );
  });
});

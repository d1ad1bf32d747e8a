import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("jobs: errors", () => {
  it("an unknown job type is a 400", async () => {
    const admin = await h.token("admin");
    const res = await h.call("POST", "/v1/jobs", { token: admin, json: { type: "drop-everything" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Array<{ path: string }> }).errors[0]?.path).toBe("body.type");
  });

  it("an unknown job id is a 404", async () => {
    const admin = await h.token("admin");
    const res = await h.call("GET", "/v1/jobs/00000000-0000-0000-0000-000000000000", { token: admin });
    expect(res.status).toBe(404);
  });
});

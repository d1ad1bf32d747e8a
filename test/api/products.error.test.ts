import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RB_PARTICULIER } from "../../src/demo/catalogue.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("products: errors", () => {
  it("a body code that differs from the path is a 400", async () => {
    const admin = await h.token("admin");
    const res = await h.call("PUT", "/v1/products/OTHER", { token: admin, json: RB_PARTICULIER });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("VALIDATION_FAILED");
  });

  it("a product with an unknown legal area is a 400 listing the field", async () => {
    const admin = await h.token("admin");
    const bad = {
      ...RB_PARTICULIER,
      modules: [{ code: "X", name: "X", legalAreas: ["ruimtevaart"], waitingPeriodMonths: 0 }],
    };
    const res = await h.call("PUT", "/v1/products/RB-PARTICULIER", { token: admin, json: bad });
    expect(res.status).toBe(400);
    const p = (await res.json()) as { errors?: Array<{ path: string }> };
    expect(p.errors?.some((e) => e.path.includes("legalAreas"))).toBe(true);
  });
});

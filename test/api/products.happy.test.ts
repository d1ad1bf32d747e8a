import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RB_PARTICULIER } from "../../src/demo/catalogue.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("products", () => {
  it("an admin PUTs a product; an agent lists it; a change becomes version 2", async () => {
    const admin = await h.token("admin");
    const put = await h.call("PUT", "/v1/products/RB-PARTICULIER", { token: admin, json: RB_PARTICULIER });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { code: string; version: number }).version).toBe(1);
    const changed = { ...RB_PARTICULIER, name: "Rechtsbijstand Particulier Plus" };
    const again = await h.call("PUT", "/v1/products/RB-PARTICULIER", { token: admin, json: changed });
    expect(((await again.json()) as { version: number }).version).toBe(2);
    const agent = await h.token("agent");
    const list = await h.call("GET", "/v1/products", { token: agent });
    expect(list.status).toBe(200);
    const products = (await list.json()) as Array<{ code: string; name: string }>;
    expect(products.map((p) => [p.code, p.name])).toEqual([
      ["RB-PARTICULIER", "Rechtsbijstand Particulier Plus"],
    ]);
  });
});

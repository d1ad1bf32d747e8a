import { expect, it } from "vitest";
import { RB_PARTICULIER } from "../../src/demo/catalogue.ts";
import { describeOnStores } from "./support/on-stores.ts";

describeOnStores("concurrent PUT /v1/products/{code}", (h) => {
  it("PUTs at the same time each get a version of their own, and the history keeps every one", async () => {
    const admin = await h().token("admin", { sub: "admin-products" });
    const put = (name: string) =>
      h().call("PUT", `/v1/products/${RB_PARTICULIER.code}`, {
        token: admin,
        json: { ...RB_PARTICULIER, name },
      });
    const first = (await (await put("Rechtsbijstand 0")).json()) as { version: number };
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => put(`Rechtsbijstand ${i + 1}`)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const versions = (
      await Promise.all(answers.map((r) => r.json() as Promise<{ version: number; name: string }>))
    )
      .map((p) => p.version)
      .sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6].map((n) => first.version + n));
    const history = await h().system.services.products.history(RB_PARTICULIER.code);
    expect(history.map((p) => p.version)).toEqual(Array.from({ length: first.version + 6 }, (_, i) => i + 1));
    expect(new Set(history.map((p) => p.name)).size).toBe(history.length);
  });
});

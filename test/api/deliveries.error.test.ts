import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerTestPartners } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  await registerTestPartners(h);
  token = await h.token("ingest", { sub: "uploader-a", partner: "VOLMACHT-A" });
});
afterAll(() => h?.close());

describe("deliveries: errors", () => {
  it("a missing or unknown kind is a 400 naming query.kind", async () => {
    const res = await h.call("POST", "/v1/deliveries?partner=VOLMACHT-A&kind=everything", {
      token,
      body: "x",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: Array<{ path: string }> }).errors[0]?.path).toBe("query.kind");
  });

  it("a declared body over the cap is a 413 before anything is read", async () => {
    const res = await h.call("POST", "/v1/deliveries?partner=VOLMACHT-A&kind=full", {
      token,
      body: "x",
      headers: { "content-length": String(3 * 1024 ** 3) },
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("an unknown profile is a 400 at submit time, and no delivery is stored", async () => {
    const admin = await h.token("admin");
    const before = await h.system.services.store.listDeliveries({});
    const res = await h.call("POST", "/v1/deliveries?partner=VOLMACHT-A&kind=full&profile=nobody-knows", {
      token: admin,
      body: "polisnummer;achternaam\n1;Jansen\n",
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe("VALIDATION_FAILED");
    expect(problem.detail).toContain("nobody-knows");
    expect(await h.system.services.store.listDeliveries({})).toHaveLength(before.length);
  });

  it("a pinned profile version that exists is accepted", async () => {
    const admin = await h.token("admin");
    const res = await h.call("POST", "/v1/deliveries?partner=VOLMACHT-A&kind=mutation&profile=standaard@1", {
      token: admin,
      body: "polisnummer;achternaam;product;ingangsdatum\nPIN-1;Jansen;RB-PARTICULIER;01-01-2024\n",
    });
    expect(res.status).toBe(202);
  });

  it("an unknown delivery id is a 404", async () => {
    const res = await h.call("GET", "/v1/deliveries/does-not-exist", { token });
    expect(res.status).toBe(404);
  });
});

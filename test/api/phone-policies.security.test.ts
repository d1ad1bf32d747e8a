import { expect, it } from "vitest";
import type { Role } from "../../src/api/auth/principal.ts";
import { PROBLEM_KEYS } from "./support/harness.ts";
import { describeOnStores } from "./support/on-stores.ts";
import { PHONE_POLICY, phonePolicy } from "./support/phone-policy.ts";

describeOnStores("POST /v1/phone-policies: who may record a policy by phone", (h) => {
  it.each<[string, Role, Record<string, string>]>([
    ["the intake bot", "intake-bot", { sub: "chatbot" }],
    ["a partner's uploader, even for its own partner", "ingest", { sub: "uploader-b", partner: "TUSSEN-B" }],
    ["an admin (agents record what a partner says on the line)", "admin", { sub: "admin-1" }],
  ])("%s may not: 403, recorded, nothing stored", async (_who, role, claims) => {
    const store = h().system.services.store;
    const before = (await store.listDeliveries({})).length;
    const token = await h().token(role, claims);
    const res = await h().call("POST", "/v1/phone-policies", { token, json: PHONE_POLICY });
    expect(res.status).toBe(403);
    const text = await res.text();
    const problem = JSON.parse(text) as Record<string, unknown>;
    expect(problem.code).toBe("FORBIDDEN");
    for (const key of Object.keys(problem)) expect(PROBLEM_KEYS.has(key)).toBe(true);
    expect(text).not.toContain("Bakker");
    expect((await store.listDeliveries({})).length).toBe(before);
    const [record] = await h().audit();
    expect(record).toMatchObject({
      subject: claims.sub,
      endpoint: "POST /v1/phone-policies",
      outcome: "denied",
    });
  });

  it("without a token: 401, and nothing stored", async () => {
    const before = (await h().system.services.store.listDeliveries({})).length;
    const res = await h().call("POST", "/v1/phone-policies", { json: PHONE_POLICY });
    expect(res.status).toBe(401);
    expect((await h().system.services.store.listDeliveries({})).length).toBe(before);
  });

  it("an agent may, and the answer and its Location carry no personal data", async () => {
    const token = await h().token("agent", { sub: "agent-carla" });
    const res = await h().call("POST", "/v1/phone-policies", {
      token,
      json: phonePolicy({ policyNumber: "TB-55005" }),
    });
    expect(res.status).toBe(201);
    const text = `${res.headers.get("location")} ${await res.text()}`;
    for (const personal of ["Bakker", "Sanne", "1988", "3011", "Havenstraat", "8765", "example.nl"])
      expect(text).not.toContain(personal);
  });

  it("a policy cannot be slipped in for a partner through the body's text (ids only)", async () => {
    const token = await h().token("agent");
    for (const partner of ["../VOLMACHT-A", "TUSSEN-B;DROP", "x".repeat(65)]) {
      const res = await h().call("POST", "/v1/phone-policies", { token, json: phonePolicy({ partner }) });
      expect(res.status).toBe(400);
    }
  });
});

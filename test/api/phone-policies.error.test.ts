import { expect, it } from "vitest";
import { describeOnStores } from "./support/on-stores.ts";
import { PHONE_POLICY, phonePolicy } from "./support/phone-policy.ts";

describeOnStores("POST /v1/phone-policies: an invalid policy", (h) => {
  // biome-ignore format: one case a line
  it.each<[string, unknown, string[]]>([
    ["a person without a surname", phonePolicy({ policyholder: { surname: undefined } }), ["body.policyholder.surname"]],
    ["a company without its name", phonePolicy({ policyholder: { kind: "Z", surname: undefined } }), ["body.policyholder.companyName"]],
    ["a Dutch postcode that is none", phonePolicy({ policyholder: { postcode: "30111 AB" } }), ["body.policyholder.postcode"]],
    ["a start date that does not exist", phonePolicy({ startDate: "31-02-2025" }), ["body.startDate"]],
    ["a birth date that is no date", phonePolicy({ policyholder: { birthDate: "gisteren" } }), ["body.policyholder.birthDate"]],
    ["an e-mail address that is none", phonePolicy({ policyholder: { email: "sanne at example" } }), ["body.policyholder.email"]],
    ["a house number that is none", phonePolicy({ policyholder: { houseNumber: "achter" } }), ["body.policyholder.houseNumber"]],
    ["no modules", phonePolicy({ modules: [] }), ["body.modules"]],
    ["a module code holding a list", phonePolicy({ modules: ["CONS,WON"] }), ["body.modules.0"]],
    ["no partner", phonePolicy({ partner: "" }), ["body.partner"]],
    ["a partner id with spaces", phonePolicy({ partner: "TUSSEN B" }), ["body.partner"]],
    ["no policy number", phonePolicy({ policyNumber: "  " }), ["body.policyNumber"]],
    ["a field the form does not have", { ...PHONE_POLICY, status: "geroyeerd" }, ["body"]],
    ["two policies at once", [PHONE_POLICY, phonePolicy({ policyNumber: "TB-2" })], ["body"]],
    ["several errors, each named", phonePolicy({ startDate: "nooit", policyholder: { surname: undefined, postcode: "x" } }), ["body.policyholder.surname", "body.policyholder.postcode", "body.startDate"]],
  ])("%s is a 400 naming the fields, and nothing is stored", async (_what, json, paths) => {
    const store = h().system.services.store;
    const deliveriesBefore = (await store.listDeliveries({})).length;
    const token = await h().token("agent", { sub: "agent-anna" });
    const res = await h().call("POST", "/v1/phone-policies", { token, json });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await res.json()) as { code: string; errors?: Array<{ path: string; message: string }> };
    expect(problem.code).toBe("VALIDATION_FAILED");
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([...paths].sort());
    for (const e of problem.errors ?? []) expect(e.message.length).toBeGreaterThan(3);
    expect((await store.listDeliveries({})).length).toBe(deliveriesBefore);
    expect(await store.findPoliciesByNumber("TB-77001")).toEqual([]);
  });

  it("a body that is no JSON is a 400", async () => {
    const token = await h().token("agent");
    const res = await h().call("POST", "/v1/phone-policies", {
      token,
      body: "polisnummer;TB-1",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("VALIDATION_FAILED");
  });
});

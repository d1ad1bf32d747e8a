import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPortfolio } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await loadPortfolio(h);
});
afterAll(() => h?.close());

describe("POST /v1/verifications (intake bot)", () => {
  it("verifies on policy number + birth date, answering only the customer id and a coverage summary", async () => {
    const token = await h.token("intake-bot", { sub: "chatbot" });
    const res = await h.call("POST", "/v1/verifications", {
      token,
      json: { policyNumber: "VA-1001", birthDate: "12-03-1975", postcode: "1234 AB" },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as { verified: boolean; customerId?: string; coverageSummary?: unknown };
    expect(body.verified).toBe(true);
    expect(Object.keys(body).sort()).toEqual(["coverageSummary", "customerId", "verified"]);
    expect(text).toContain("CONS");
    // No address, birth date, phone, e-mail or name in the answer.
    for (const leak of [
      "Berg",
      "Kerkstraat",
      "1234",
      "1975",
      "0612345678",
      "+316",
      "example.nl",
      "Amsterdam",
    ]) {
      expect(text).not.toContain(leak);
    }
    const [record] = await h.audit();
    expect(record).toMatchObject({
      subject: "chatbot",
      endpoint: "POST /v1/verifications",
      outcome: "ok",
      customerIds: [body.customerId],
      fields: ["birthDate", "policyNumber", "postcode"],
    });
  });

  it("the summary says which service the customer can expect per legal area, and nothing more", async () => {
    const token = await h.token("intake-bot", { sub: "chatbot" });
    const res = await h.call("POST", "/v1/verifications", {
      token,
      json: { policyNumber: "VA-1001", birthDate: "12-03-1975" },
    });
    const { coverageSummary } = (await res.json()) as {
      coverageSummary: { services: Array<{ legalArea: string; type: string }> };
    };
    const service = new Map(coverageSummary.services.map((s) => [s.legalArea, s]));
    expect(service.size).toBe(14);
    // VA-1001 holds CONS, WON and ARB since 2023.
    expect(service.get("consument")).toEqual({ legalArea: "consument", type: "zaakbehandeling" });
    expect(service.get("buren")?.type).toBe("mediation");
    expect(service.get("arbeid")?.type).toBe("zaakbehandeling");
    expect(service.get("familie")?.type).toBe("doorverwijzing");
  });

  it("asked about one legal area and an advice question, the summary names that service only", async () => {
    const token = await h.token("intake-bot", { sub: "chatbot" });
    const res = await h.call("POST", "/v1/verifications", {
      token,
      json: { policyNumber: "VA-1001", birthDate: "12-03-1975", legalArea: "buren", questionKind: "advice" },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { verified: boolean; coverageSummary: { services: unknown } };
    expect(body.verified).toBe(true);
    expect(body.coverageSummary.services).toEqual([{ legalArea: "buren", type: "juridisch-advies" }]);
  });

  it("a miss answers {verified: false, reason} and nothing more", async () => {
    const token = await h.token("intake-bot", { sub: "chatbot" });
    const res = await h.call("POST", "/v1/verifications", {
      token,
      json: { policyNumber: "VA-1003", birthDate: "13-03-1975" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ verified: false, reason: "NOT_VERIFIED" });
    const [record] = await h.audit();
    expect(record).toMatchObject({ outcome: "not_found", customerIds: [], reason: "NOT_VERIFIED" });
  });

  it("name, birth date and postcode that belong to different people do not verify", async () => {
    const token = await h.token("intake-bot", { sub: "chatbot" });
    const res = await h.call("POST", "/v1/verifications", {
      token,
      json: { name: "Maria Jansen", birthDate: "12-03-1975", postcode: "5678 CD" },
    });
    expect(await res.json()).toEqual({ verified: false, reason: "NOT_VERIFIED" });
  });

  it("a weak pair answers that more is needed, without a search", async () => {
    const token = await h.token("intake-bot", { sub: "chatbot" });
    const res = await h.call("POST", "/v1/verifications", {
      token,
      json: { name: "Maria Jansen", birthDate: "21-07-1980" },
    });
    expect(await res.json()).toEqual({ verified: false, reason: "MORE_ATTRIBUTES_NEEDED" });
    const [record] = await h.audit();
    expect(record).toMatchObject({ outcome: "not_found", reason: "MORE_ATTRIBUTES_NEEDED", customerIds: [] });
  });

  it("an agent may verify too", async () => {
    const token = await h.token("agent");
    const res = await h.call("POST", "/v1/verifications", {
      token,
      json: { name: "M. Jansen", birthDate: "21-07-1980", postcode: "5678CD", houseNumber: "3" },
    });
    expect(((await res.json()) as { verified: boolean }).verified).toBe(true);
  });
});

import { expect, it } from "vitest";
import { auditTextWithoutGeneratedValues } from "../support/audit-record.ts";
import { SEARCHED } from "./support/fixtures.ts";
import { expectHasMoreToTell } from "./support/has-more.ts";
import { describeOnSearchEngines } from "./support/on-search-engines.ts";
import { PHONE_POLICY } from "./support/phone-policy.ts";

describeOnSearchEngines("API happy path end to end", (h, search) => {
  it("is ready on both engines", async () => {
    const res = await h().call("GET", "/health/ready");
    expect(await res.json()).toMatchObject({
      status: "ok",
      checks: { store: { kind: "mongodb", ok: true }, engine: { kind: search, ok: true } },
    });
  });

  it("search and caller lookup tell whether more customers matched (hasMore)", async () => {
    await expectHasMoreToTell(h());
  });

  it("a policy given by phone is searchable at once, marked with who took it", async () => {
    const agent = await h().token("agent", { sub: "agent-phone" });
    const res = await h().call("POST", "/v1/phone-policies", { token: agent, json: PHONE_POLICY });
    expect(res.status).toBe(201);
    const search = await h().call("POST", "/v1/search", {
      token: agent,
      json: { name: "Sanne Bakker", birthDate: "14-09-1988" },
    });
    const { results } = (await search.json()) as {
      results: Array<{ policies: Array<{ policyNumber: string; givenByPhone?: { by: string } }> }>;
    };
    expect(results[0]?.policies).toMatchObject([
      { policyNumber: "TB-77001", givenByPhone: { by: "agent-phone" } },
    ]);
  });

  it("search → customer → coverage → verification, each audited once", async () => {
    const agent = await h().token("agent", { sub: "agent-e2e" });
    const search = await h().call("POST", "/v1/search", { token: agent, json: SEARCHED });
    expect(search.status).toBe(200);
    const { results } = (await search.json()) as {
      results: Array<{ customerId: string; customer: { surname?: string } }>;
    };
    expect(results[0]?.customer.surname).toBe("Berg");
    const id = results[0]!.customerId;

    const detail = await h().call("GET", `/v1/customers/${id}`, { token: agent });
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain("VA-1001");

    const assessment = await h().call("POST", "/v1/coverage/assessments", {
      token: agent,
      json: {
        customerId: id,
        incidentDate: "2026-06-01",
        reportedDate: "2026-06-15",
        legalArea: "wonen",
      },
    });
    expect(((await assessment.json()) as { verdict: string }).verdict).toBe("covered");

    const bot = await h().token("intake-bot", { sub: "bot-e2e" });
    const verification = await h().call("POST", "/v1/verifications", {
      token: bot,
      json: { policyNumber: "VA-1001", birthDate: "1975-03-12" },
    });
    expect(await verification.json()).toMatchObject({ verified: true, customerId: id });

    const records = (await h().audit()).filter((r) => r.subject === "agent-e2e" || r.subject === "bot-e2e");
    expect(records.map((r) => r.endpoint)).toEqual([
      "POST /v1/verifications",
      "POST /v1/coverage/assessments",
      "GET /v1/customers/:customerId",
      "POST /v1/search",
    ]);
    expect(auditTextWithoutGeneratedValues(records)).not.toContain("1975");
  });

  it("a reindex job swaps in a fresh index and search still answers", async () => {
    const admin = await h().token("admin");
    const res = await h().call("POST", "/v1/jobs", { token: admin, json: { type: "reindex" } });
    const { id } = (await res.json()) as { id: string };
    await h().system.services.jobs.onIdle();
    const job = (await (await h().call("GET", `/v1/jobs/${id}`, { token: admin })).json()) as {
      status: string;
    };
    expect(job.status).toBe("completed");
    const agent = await h().token("agent");
    const search = await h().call("POST", "/v1/callers", {
      token: agent,
      json: { phone: "06 12 34 56 78" },
    });
    expect(((await search.json()) as { results: unknown[] }).results.length).toBe(1);
  });
});

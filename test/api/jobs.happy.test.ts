import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPortfolio } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await startHarness();
  await loadPortfolio(h);
  admin = await h.token("admin", { sub: "admin-jobs" });
});
afterAll(() => h?.close());

type JobView = {
  id: string;
  type: string;
  status: string;
  progress: { done: number; total: number };
  finishedAt?: string;
};

async function runJob(type: string): Promise<JobView> {
  const res = await h.call("POST", "/v1/jobs", { token: admin, json: { type } });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await h.system.services.jobs.onIdle();
  const job = await h.call("GET", `/v1/jobs/${id}`, { token: admin });
  expect(job.status).toBe(200);
  return (await job.json()) as JobView;
}

describe("jobs (admin)", () => {
  it("a reindex runs in the background, reports progress, and search still finds the customers", async () => {
    const job = await runJob("reindex");
    expect(job).toMatchObject({ type: "reindex", status: "completed" });
    expect(job.progress.done).toBe(job.progress.total);
    expect(job.progress.total).toBeGreaterThanOrEqual(3);
    const agent = await h.token("agent");
    const res = await h.call("POST", "/v1/search", {
      token: agent,
      json: { name: "Jansen", birthDate: "21-07-1980" },
    });
    const body = (await res.json()) as { results: Array<{ customer: { surname?: string } }> };
    expect(body.results[0]?.customer.surname).toBe("Jansen");
  });

  it("a purge applies the audit retention: records older than AUDIT_RETENTION_MONTHS go, recent ones stay", async () => {
    await h.system.services.store.appendAudit({
      id: "old-record",
      at: "2015-01-01T00:00:00.000Z",
      subject: "agent-2015",
      roles: ["agent"],
      endpoint: "POST /v1/search",
      fields: ["name"],
      customerIds: [],
      outcome: "ok",
      status: 200,
    });
    const before = await h.audit();
    expect(before.some((r) => r.id === "old-record")).toBe(true);
    const job = await runJob("purge");
    expect(job.status).toBe("completed");
    const after = await h.audit();
    expect(after.some((r) => r.id === "old-record")).toBe(false);
    expect(after.length).toBeGreaterThan(0);
  });
});

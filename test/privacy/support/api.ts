import { expect } from "vitest";
import type { ErasureReceipt } from "../../../src/domain/erasure-receipt.ts";
import type { Harness } from "../../api/support/harness.ts";
import { registerPartners } from "../../support/partners.ts";
import { HEADER } from "./person.ts";

/**
 * Delivers `rows` as a `standaard` CSV delivery (full unless told) of `partner` received at
 * `receivedAt` (admin backfill).
 */
export async function deliver(
  h: Harness,
  partner: string,
  receivedAt: string,
  rows: readonly string[],
  kind: "full" | "mutation" = "full",
) {
  // A partner must be registered, live and have signed the VRA agreement.
  if (!(await h.system.services.store.partners.get(partner)))
    await registerPartners(h.system.services.store, [partner]);
  const admin = await h.token("admin", { sub: "admin-privacy" });
  const res = await h.call(
    "POST",
    `/v1/deliveries?partner=${partner}&kind=${kind}&receivedAt=${encodeURIComponent(receivedAt)}`,
    { token: admin, body: [HEADER, ...rows].join("\n"), headers: { "content-type": "text/csv" } },
  );
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const settled = await h.system.services.intake.whenSettled(id);
  expect(settled.status, settled.failure).toBe("completed");
  return settled;
}

/** A job as `GET /v1/jobs/{id}` shows it. */
export interface JobAnswer {
  id: string;
  type: string;
  status: string;
  dryRun?: boolean;
  receipt?: ErasureReceipt;
  error?: string;
}

/** Starts a job through the API, waits until the runner is idle, and answers the job as shown. */
export async function runJob(h: Harness, body: Record<string, unknown>): Promise<JobAnswer> {
  const admin = await h.token("admin", { sub: "admin-privacy" });
  const res = await h.call("POST", "/v1/jobs", { token: admin, json: body });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await h.system.services.jobs.onIdle();
  const job = await h.call("GET", `/v1/jobs/${id}`, { token: admin });
  expect(job.status).toBe(200);
  return (await job.json()) as JobAnswer;
}

/** Customer ids an agent's search for `query` answers. */
export async function searchIds(h: Harness, query: Record<string, unknown>): Promise<string[]> {
  const agent = await h.token("agent", { sub: "agent-privacy" });
  const res = await h.call("POST", "/v1/search", { token: agent, json: query });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { results: Array<{ customerId: string }> };
  return body.results.map((r) => r.customerId);
}

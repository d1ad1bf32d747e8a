import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerPartners } from "../support/partners.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe("the application's endpoints", () => {
  it("GET /app/config tells the browser the sign-in mode, nothing secret", async () => {
    const res = await h.call("GET", "/app/config");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ authMode: "dev" });
  });

  it("POST /app/dev-token (dev mode) signs a token the API accepts, with the name as subject", async () => {
    const res = await h.call("POST", "/app/dev-token", { json: { role: "agent", name: "Sanne Jansen" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { token, expiresIn } = (await res.json()) as { token: string; expiresIn: number };
    expect(expiresIn).toBe(8 * 3600);
    const search = await h.call("POST", "/v1/search", { token, json: { q: "Jansen" } });
    expect(search.status).toBe(200);
    const [record] = await h.audit();
    expect(record).toMatchObject({ subject: "Sanne Jansen", roles: ["agent"], endpoint: "POST /v1/search" });
  });

  it("records promise timings from agents and reports daily median and p90 to admins and /metrics", async () => {
    const agent = await h.token("agent");
    const events = [
      { measure: "card", start: "search", ms: 4000 },
      { measure: "card", start: "search", ms: 9000 },
      { measure: "card", start: "search", ms: 30_000 },
      { measure: "verdict", start: "caller", ms: 60_000 },
      { measure: "no-customer", start: "search" },
    ];
    const posted = await h.call("POST", "/v1/app/timings", { token: agent, json: { events } });
    expect(posted.status).toBe(204);
    const admin = await h.token("admin");
    const res = await h.call("GET", "/v1/app/timings", { token: admin });
    expect(res.status).toBe(200);
    const { days } = (await res.json()) as { days: Array<Record<string, unknown>> };
    expect(days).toContainEqual(
      expect.objectContaining({ measure: "card", start: "search", count: 3, medianMs: 9000, p90Ms: 30_000 }),
    );
    expect(days).toContainEqual(
      expect.objectContaining({ measure: "no-customer", start: "search", count: 1 }),
    );
    const metrics = await (await h.call("GET", "/metrics")).text();
    expect(metrics).toContain('app_promise_seconds{measure="card",start="search",quantile="0.5"} 9');
    expect(metrics).toContain('app_promise_seconds{measure="verdict",start="caller",quantile="0.9"} 60');
    expect(metrics).toContain('app_promise_events{measure="no-customer",start="search"} 1');
    // Kept beside the data, without personal data.
    const file = await readFile(join(h.dataDir, "app-timings.jsonl"), "utf8");
    expect(file.trim().split("\n")).toHaveLength(5);
  });

  it("GET /v1/customers/{id}/sources names partner, delivery date and channel of each delivery", async () => {
    const admin = await h.token("admin");
    await registerPartners(h.system.services.store, ["BRON-P"]);
    const csv =
      "polisnummer;achternaam;voorletters;postcode;huisnummer;product;ingangsdatum\nP-1;Bron;K.;1234 AB;5;RB-X;01-01-2024\n";
    const up = await h.call("POST", "/v1/deliveries?partner=BRON-P&kind=full", { token: admin, body: csv });
    expect(up.status).toBe(202);
    const { id } = (await up.json()) as { id: string };
    await h.system.services.intake.whenSettled(id);
    const agent = await h.token("agent");
    const found = (await (
      await h.call("POST", "/v1/search", { token: agent, json: { name: "Bron" } })
    ).json()) as {
      results: Array<{ customerId: string }>;
    };
    const customerId = found.results[0]!.customerId;
    const res = await h.call("GET", `/v1/customers/${customerId}/sources`, { token: agent });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      sources: [
        {
          deliveryId: id,
          partner: "BRON-P",
          kind: "full",
          channel: "upload",
          receivedAt: expect.any(String),
          current: true,
        },
      ],
    });
  });

  it("documents its additions in /openapi.json", async () => {
    const doc = (await (await h.call("GET", "/openapi.json")).json()) as { paths: Record<string, unknown> };
    for (const path of [
      "/app/config",
      "/app/dev-token",
      "/v1/app/timings",
      "/v1/customers/{customerId}/sources",
    ])
      expect(doc.paths).toHaveProperty([path]);
  });
});

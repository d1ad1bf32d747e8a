import { expect, it } from "vitest";
import type { ErasureReceipt } from "../../src/domain/erasure-receipt.ts";
import type { SubjectReport } from "../../src/privacy/subject-report.ts";
import { describeOnStores } from "../api/support/on-stores.ts";
import { deliver, searchIds } from "./support/api.ts";
import { HEADER, monthsAgo, PERSON_ROWS, PERSON_TRACES, tracesIn } from "./support/person.ts";

// The same person delivered again by a second partner: one customer, policies from both.
const PERSON_AT_B =
  "PB-9101;BQ1;W.;Wendelmoet;;Quirijnsdochter;17-04-1961;Zonnewijzerstraat;87;9741 XQ;Wirdumerdijk;06-91827364;w.quirijnsdochter@example.nl;RB-PARTICULIER;FAM;01-01-2024";
const NEIGHBOUR_AT_B =
  "PB-9102;BN1;K.;Klaas;;Hoekstra;02-02-1970;Zonnewijzerstraat;89;9741 XQ;Wirdumerdijk;;;RB-PARTICULIER;CONS;01-01-2024";

describeOnStores("privacy officer: subject report and erasure", (h) => {
  let customerId = "";
  const fileIds: string[] = [];

  it("a subject report lists the record, every policy with history, the deliveries and the lookups (never values)", async () => {
    fileIds.push((await deliver(h(), "VOLMACHT-A", monthsAgo(3), PERSON_ROWS, "mutation")).id);
    fileIds.push((await deliver(h(), "VOLMACHT-B", monthsAgo(1), [PERSON_AT_B, NEIGHBOUR_AT_B])).id);
    customerId = (await searchIds(h(), { name: "Quirijnsdochter", birthDate: "17-04-1961" }))[0]!;
    const agent = await h().token("agent", { sub: "agent-privacy" });
    expect((await h().call("GET", `/v1/customers/${customerId}`, { token: agent })).status).toBe(200);

    const officer = await h().token("privacy", { sub: "fg-anna" });
    const res = await h().call("POST", "/v1/privacy/subject-report", {
      token: officer,
      json: { customerId },
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as SubjectReport;
    expect(report.customer).toMatchObject({
      customerId,
      party: { surname: "Quirijnsdochter", birthDate: "1961-04-17" },
    });
    expect(report.policies.map((p) => `${p.partner} ${p.policyNumber}`).sort()).toEqual([
      "VOLMACHT-A PV-9001",
      "VOLMACHT-A PV-9002",
      "VOLMACHT-B PB-9101",
    ]);
    expect(report.policies[0]!.versions[0]).toMatchObject({
      validFrom: expect.any(String),
      deliveryIds: expect.any(Array),
    });
    expect(report.deliveries).toEqual([
      expect.objectContaining({
        partner: "VOLMACHT-A",
        channel: "upload",
        fileId: fileIds[0],
        deliveryId: fileIds[0],
      }),
      expect.objectContaining({ partner: "VOLMACHT-B", channel: "upload", fileId: fileIds[1] }),
    ]);
    // The search and the detail view, newest first: who, which role, which fields — no values.
    expect(report.lookups.slice(0, 2)).toEqual([
      {
        at: expect.any(String),
        subject: "agent-privacy",
        roles: ["agent"],
        endpoint: "GET /v1/customers/:customerId",
        fields: ["customerId"],
        outcome: "ok",
      },
      {
        at: expect.any(String),
        subject: "agent-privacy",
        roles: ["agent"],
        endpoint: "POST /v1/search",
        fields: ["birthDate", "name"],
        outcome: "ok",
      },
    ]);
    const lookupsText = JSON.stringify(report.lookups);
    for (const v of ["Quirijnsdochter", "17-04-1961", "1961-04-17"]) expect(lookupsText).not.toContain(v);
  });

  it("asked for HTML, the report is a printable page without script or inline style, under a strict CSP", async () => {
    const officer = await h().token("privacy", { sub: "fg-anna" });
    const res = await h().call("POST", "/v1/privacy/subject-report", {
      token: officer,
      json: { customerId },
      headers: { accept: "text/html" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await res.text();
    expect(html).toContain("<h1>Inzage persoonsgegevens (AVG artikel 15)</h1>");
    expect(html).toContain("Quirijnsdochter");
    expect(html).toContain("PB-9101");
    expect(html).not.toMatch(/<script|<style| style=|on[a-z]+=/i);
    const css = await h().call("GET", "/privacy/report.css");
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
  });

  it("an erasure removes the person from store, index, audit references and the stored files, with a receipt", async () => {
    const officer = await h().token("privacy", { sub: "fg-anna" });
    const res = await h().call("POST", "/v1/privacy/erasure", {
      token: officer,
      json: { customerId, reason: "Verzoek AVG-2026-117" },
    });
    expect(res.status).toBe(202);
    const { id, tombstone } = (await res.json()) as { id: string; tombstone: string };
    expect(res.headers.get("location")).toBe(`/v1/privacy/erasure/${id}`);
    expect(tombstone).toMatch(/^erased:[0-9a-f-]{36}$/);
    await h().system.services.jobs.onIdle();

    const done = await h().call("GET", `/v1/privacy/erasure/${id}`, { token: officer });
    const erasure = (await done.json()) as { status: string; reason: string; receipt: ErasureReceipt };
    expect(erasure).toMatchObject({ status: "completed", reason: "Verzoek AVG-2026-117", tombstone });
    expect(erasure.receipt.stores[0]!.counts).toMatchObject({
      customersDeleted: 1,
      policiesDeleted: 3,
      filesRedacted: 2,
      rowsRedacted: 3,
      filesNotRedacted: 0,
    });
    expect(erasure.receipt.stores[0]!.counts.auditReferencesReplaced).toBeGreaterThanOrEqual(3);
    for (const part of [...erasure.receipt.stores, ...erasure.receipt.indexes])
      for (const v of part.verification) expect(v, v.query).toMatchObject({ found: 0 });

    // Gone from lookups and from the officer's own report.
    expect(await searchIds(h(), { name: "Quirijnsdochter" })).toEqual([]);
    const again = await h().call("POST", "/v1/privacy/subject-report", {
      token: officer,
      json: { customerId },
    });
    expect(again.status).toBe(404);

    // The audit log keeps every lookup, under the tombstone; the erasure's own record has the reason.
    const admin = await h().token("admin", { sub: "admin-privacy" });
    const byId = (await (
      await h().call("GET", `/v1/audit?customerId=${customerId}`, { token: admin })
    ).json()) as {
      records: unknown[];
    };
    expect(byId.records).toEqual([]);
    const byTombstone = (await (
      await h().call("GET", `/v1/audit?customerId=${encodeURIComponent(tombstone)}`, { token: admin })
    ).json()) as {
      records: Array<{ endpoint: string; erasureReason?: string; queryHash?: string; subject: string }>;
    };
    expect(byTombstone.records.map((r) => r.endpoint)).toEqual(
      expect.arrayContaining([
        "POST /v1/search",
        "GET /v1/customers/:customerId",
        "POST /v1/privacy/subject-report",
        "POST /v1/privacy/erasure",
      ]),
    );
    expect(byTombstone.records.find((r) => r.endpoint === "POST /v1/privacy/erasure")).toMatchObject({
      subject: "fg-anna",
      erasureReason: "Verzoek AVG-2026-117",
    });
    expect(byTombstone.records.every((r) => r.queryHash === undefined)).toBe(true);
  });

  it("the stored files lose her rows only, keep their original sha256, and the same file again is a duplicate", async () => {
    const store = h().system.services.store;
    const text = async (id: string) => {
      const chunks: Uint8Array[] = [];
      for await (const c of store.readFile(id)) chunks.push(c);
      return Buffer.concat(chunks).toString("utf8");
    };
    expect(await text(fileIds[0]!)).toBe(`${HEADER}\n`);
    expect(await text(fileIds[1]!)).toBe(`${HEADER}\n${NEIGHBOUR_AT_B}`);
    const delivery = await store.getDelivery(fileIds[1]!);
    expect(delivery).toMatchObject({ redactedRows: 1 });
    const redelivered = await deliver(h(), "VOLMACHT-B", monthsAgo(0), [PERSON_AT_B, NEIGHBOUR_AT_B]);
    expect(redelivered.duplicateOf).toBe(fileIds[1]);
    expect(await searchIds(h(), { name: "Quirijnsdochter" })).toEqual([]);
    expect(await searchIds(h(), { name: "Hoekstra", birthDate: "02-02-1970" })).toHaveLength(1);
    // Her neighbour still lives at that address: her name, birth date, phone and e-mail are what must go.
    const hers = PERSON_TRACES.filter((t) => !/straat|9741|wirdumerdijk/i.test(t));
    if (store.kind === "sqlite") expect(await tracesIn(h().dataDir, hers)).toEqual([]);
  });
});

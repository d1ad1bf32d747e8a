import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { loadOrCreateAuditKey } from "../../src/api/audit.ts";
import { createLocalVerifier } from "../../src/api/auth/token-verifier.ts";
import { AppError } from "../../src/domain/errors.ts";
import { createLogger } from "../../src/logger.ts";
import { toCustomerDoc } from "../../src/mappings/customer-doc.ts";
import type { CustomerDoc } from "../../src/search/search-engine.ts";
import { WorkerSearchEngine } from "../../src/search/worker-engine.ts";
import { type Harness, startHarness } from "../api/support/harness.ts";
import { customer, policyOf } from "../indexer/fixtures.ts";

/** Documents enough to keep the search thread busy: 200 write messages of 100 ahead of anything sent next. */
const docs = (from: number, count: number): CustomerDoc[] =>
  Array.from({ length: count }, (_, i) =>
    toCustomerDoc(customer(from + i), [policyOf(from + i)], "2026-12-07"),
  );

describe("a search nobody waits for any more is not done (the search thread)", () => {
  let dir: string;
  let engine: WorkerSearchEngine;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kh-cancel-"));
    engine = new WorkerSearchEngine({ dataDir: dir });
    await engine.init();
    await engine.upsert(docs(0, 500));
  });
  afterAll(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("cancelled while it waits behind writes, it never starts; the caller is answered at once", async () => {
    const writes = engine.upsert(docs(1000, 20_000));
    writes.catch(() => {});
    const controller = new AbortController();
    const searching = engine.search({ name: "Jansen", limit: 10 }, { signal: controller.signal });
    const reason = new AppError("TIMEOUT", "the request took too long");
    controller.abort(reason);
    await expect(searching).rejects.toBe(reason);
    await writes;
    // Messages are taken in order: by the time this answers, the search's turn has come and gone.
    expect(await engine.count()).toBe(20_500);
    expect(await engine.cancelledReads()).toBe(1);
    // A search already cancelled before it is asked is not even sent.
    await expect(
      engine.search({ name: "Jansen", limit: 10 }, { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(await engine.cancelledReads()).toBe(1);
    expect((await engine.search({ name: "Jansen", limit: 10 })).results.length).toBeGreaterThan(0);
  });
});

describe("a request past its timeout cancels the search beneath it, not only answers 503", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it("POST /v1/search timed out: 503 TIMEOUT at its time, and the search thread skips the search", async () => {
    const engine = h.system.services.engine as unknown as WorkerSearchEngine;
    const app = createApp(h.system.services, {
      verifier: createLocalVerifier([h.keys.publicJwk], "klantherkenning-dev", "klantherkenning"),
      auditKey: await loadOrCreateAuditKey(h.dataDir),
      logger: createLogger("silent"),
      requestTimeoutMs: 5_000,
    });
    const token = await h.token("agent");
    const many = docs(5000, 50_000);
    await engine.upsert(many);
    const before = await engine.cancelledReads();
    // One message that keeps the search thread busy: 50,000 removals. The search queues behind it.
    const writes = engine.remove(many.map((d) => d.customerId));
    writes.catch(() => {});
    // The request's timer is moved on by hand, once its search is on its way to the search thread.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let res: Response;
    try {
      const answering = app.request("/v1/search", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Jansen", birthDate: "01-01-1980" }),
      });
      while (engine.inFlight < 2) await new Promise<void>((r) => setImmediate(r));
      vi.advanceTimersByTime(5_000);
      res = await answering;
    } finally {
      vi.useRealTimers();
    }
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "TIMEOUT" });
    await writes;
    expect(await engine.count()).toBe(0);
    expect((await engine.cancelledReads()) - before).toBe(1);
  });
});

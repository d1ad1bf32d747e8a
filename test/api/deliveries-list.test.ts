import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PORTFOLIO_A, registerTestPartners } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
let admin: string;
const HEADER = PORTFOLIO_A.split("\n")[0]!;
const ROW =
  "TB-1;R9;K.;Kees;;Bakker;02-02-1970;Plein;1;1111 AA;Delft;;;RB-PARTICULIER;CONS;2024-01-01;RBP-2022";

type Page = {
  deliveries: Array<{ id: string; partner: string; status: string; receivedAt: string }>;
  next?: string;
};

/** Delivers as an admin with a backfilled receipt time; answers the delivery's id once it settled. */
async function deliver(partner: string, kind: "full" | "mutation", body: string, receivedAt: string) {
  const res = await h.call(
    "POST",
    `/v1/deliveries?partner=${partner}&kind=${kind}&receivedAt=${receivedAt}`,
    {
      token: admin,
      body,
    },
  );
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await h.system.services.intake.whenSettled(id);
  return id;
}

const list = async (query: string, token = admin) => h.call("GET", `/v1/deliveries${query}`, { token });
const ids = async (query: string, token = admin) =>
  ((await (await list(query, token)).json()) as Page).deliveries.map((d) => d.id);

// Deliveries over three days (times in UTC; Amsterdam is an hour ahead in January):
let ok1: string; // VOLMACHT-A, completed, 2026-01-05 09:00
let bad1: string; // VOLMACHT-A, failed (a full delivery without a valid row), 2026-01-06 09:00
let bad2: string; // TUSSEN-B, failed, 2026-01-06 22:30 (23:30 in Amsterdam: still the 6th)
let ok2: string; // TUSSEN-B, completed, 2026-01-06 23:30 (00:30 on the 7th in Amsterdam)

beforeAll(async () => {
  h = await startHarness();
  await registerTestPartners(h);
  admin = await h.token("admin", { sub: "ops" });
  ok1 = await deliver("VOLMACHT-A", "mutation", `${HEADER}\n${ROW}`, "2026-01-05T09:00:00Z");
  bad1 = await deliver("VOLMACHT-A", "full", `${HEADER}\nno;valid;row`, "2026-01-06T09:00:00Z");
  bad2 = await deliver("TUSSEN-B", "full", `${HEADER}\nnot;a;row`, "2026-01-06T22:30:00Z");
  ok2 = await deliver(
    "TUSSEN-B",
    "mutation",
    `${HEADER}\n${ROW.replace("TB-1", "TB-2")}`,
    "2026-01-06T23:30:00Z",
  );
});
afterAll(() => h?.close());

describe("GET /v1/deliveries (happy)", () => {
  it("lists every delivery newest first", async () => {
    expect(await ids("")).toEqual([ok2, bad2, bad1, ok1]);
  });

  it("shows an operator the failures of a day without knowing an id", async () => {
    const res = await list("?status=failed&from=2026-01-06&to=2026-01-06");
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    expect(page.deliveries.map((d) => [d.id, d.partner, d.status])).toEqual([
      [bad2, "TUSSEN-B", "failed"],
      [bad1, "VOLMACHT-A", "failed"],
    ]);
    expect(page.next).toBeUndefined();
  });

  it("filters by partner, several statuses and instants", async () => {
    expect(await ids("?partner=TUSSEN-B")).toEqual([ok2, bad2]);
    expect(await ids("?status=completed,failed&partner=VOLMACHT-A")).toEqual([bad1, ok1]);
    // A date is a day in Amsterdam: 23:30 UTC on the 6th is the 7th there.
    expect(await ids("?from=2026-01-07")).toEqual([ok2]);
    expect(await ids("?from=2026-01-06T09:00:00Z&to=2026-01-06T22:30:00Z")).toEqual([bad1]);
  });

  it("pages with the cursor it gives, meeting each delivery once", async () => {
    const seen: string[] = [];
    let query = "?limit=3";
    for (;;) {
      const page = (await (await list(query)).json()) as Page;
      seen.push(...page.deliveries.map((d) => d.id));
      if (!page.next) break;
      query = `?limit=3&cursor=${page.next}`;
    }
    expect(seen).toEqual([ok2, bad2, bad1, ok1]);
  });
});

describe("GET /v1/deliveries (security)", () => {
  it("an ingest token sees its own partner's deliveries only", async () => {
    const ingest = await h.token("ingest", { sub: "uploader-b", partner: "TUSSEN-B" });
    expect(await ids("", ingest)).toEqual([ok2, bad2]);
    expect(await ids("?partner=TUSSEN-B&status=failed", ingest)).toEqual([bad2]);
    const other = await list("?partner=VOLMACHT-A", ingest);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { code: string }).code).toBe("FORBIDDEN");
  });

  it("refuses agents and callers without a token", async () => {
    expect((await list("", await h.token("agent"))).status).toBe(403);
    expect((await h.call("GET", "/v1/deliveries")).status).toBe(401);
  });
});

describe("GET /v1/deliveries (errors)", () => {
  it.each([
    ["?status=broken", "query.status"],
    ["?from=yesterday", "query.from"],
    ["?limit=501", "query.limit"],
    ["?cursor=bm90LWEtY3Vyc29y", "query.cursor"],
    ["?colour=red", "query"],
  ])("%s is a 400 naming %s", async (query, path) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; errors?: Array<{ path: string }> };
    expect(problem.code).toBe("VALIDATION_FAILED");
    expect(problem.errors?.map((e) => e.path).join(" ")).toContain(path);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await (await h.call("GET", "/openapi.json")).json()) as {
      paths: Record<string, { get?: unknown }>;
    };
    expect(doc.paths["/v1/deliveries"]?.get).toBeDefined();
  });
});

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { createLocalVerifier } from "../../src/api/auth/token-verifier.ts";
import { parseCidrList } from "../../src/config/cidr.ts";
import type { AuditRecord } from "../../src/domain/model.ts";
import { createLogger } from "../../src/logger.ts";
import { loadPortfolio, PORTFOLIO_A } from "../api/support/fixtures.ts";
import type { Harness } from "../api/support/harness.ts";

/** Starts the service under test with extra env and the API's clock; the suite loads portfolio A. */
export type StartService = (env: Record<string, string>, now: () => number) => Promise<Harness>;

const ISS = "klantherkenning-dev";
const AUD = "klantherkenning";
const MIN = 60_000;

/** The env the suite runs under: small limits, so floods are short. */
export const SECURITY_ENV = {
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: "5",
  RATE_LIMIT_ADMIN_PER_MINUTE: "20",
  RATE_LIMIT_INGEST_PER_MINUTE: "10",
  RATE_LIMIT_BOT_PER_MINUTE: "10",
  VERIFY_LOCKOUT_ATTEMPTS: "3",
  VERIFY_LOCKOUT_MINUTES: "30",
};

/** Keys of a search result in a restricted answer, and of its customer. */
const RESTRICTED_RESULT_KEYS = ["confidence", "customer", "customerId", "matches", "policies", "score"];

/**
 * The security suite (issue 19, items 2–6): the review's exact requests and the rules behind them, run
 * against whichever store and engine `start` composes.
 */
export function securityCases(start: StartService): void {
  let h: Harness;
  let clock = Date.now();
  let maria: string;

  beforeAll(async () => {
    h = await start(SECURITY_ENV, () => clock);
    await loadPortfolio(h);
    const agent = await h.token("agent", { sub: "setup" });
    const res = await h.call("POST", "/v1/search", { token: agent, json: { policyNumber: "VA-1002" } });
    maria = ((await res.json()) as { results: Array<{ customerId: string }> }).results[0]!.customerId;
  });
  afterAll(() => h?.close());

  const verify = async (sub: string, json: Record<string, string>) => {
    const token = await h.token("intake-bot", { sub });
    const res = await h.call("POST", "/v1/verifications", { token, json });
    expect(res.status).toBe(200);
    return (await res.json()) as { verified: boolean; customerId?: string; reason?: string };
  };

  describe("verification: only the table's combinations verify", () => {
    // The review's weak pairs, each of which answered `verified: true` with a customer id.
    it.each([
      ["postcode + birth date", { postcode: "1234 AB", birthDate: "12-03-1975" }],
      ["surname + birth date", { name: "Jansen", birthDate: "21-07-1980" }],
      ["phone + postcode", { phone: "06-12345678", postcode: "1234 AB" }],
      ["policy number + house number", { policyNumber: "VA-1001", houseNumber: "12" }],
    ])("%s answers that more is needed, and nothing else", async (_name, json) => {
      expect(await verify("bot-weak", json)).toEqual({ verified: false, reason: "MORE_ATTRIBUTES_NEEDED" });
      const [record] = await h.audit();
      expect(record).toMatchObject({
        outcome: "not_found",
        reason: "MORE_ATTRIBUTES_NEEDED",
        customerIds: [],
      });
    });

    it.each([
      ["policy number + birth date", { policyNumber: "VA-1001", birthDate: "1975-03-12" }],
      [
        "policy number + postcode + house number",
        { policyNumber: "va 1001", postcode: "1234ab", houseNumber: "12" },
      ],
      [
        "full name + birth date + postcode",
        { name: "J. van der Berg", birthDate: "12-03-1975", postcode: "1234 AB" },
      ],
    ])("%s verifies", async (_name, json) => {
      const answer = await verify("bot-strong", json);
      expect(answer.verified).toBe(true);
      expect(Object.keys(answer).sort()).toEqual(["coverageSummary", "customerId", "verified"]);
    });
  });

  describe("verification: repeated failures lock the target, whoever tries", () => {
    it("three wrong birth dates from three bot subjects lock the policy and its holder for 30 minutes", async () => {
      for (const [i, birthDate] of ["01-01-1980", "02-01-1980", "03-01-1980"].entries()) {
        expect(await verify(`chat-${i}`, { policyNumber: "VA-1002", birthDate })).toEqual({
          verified: false,
          reason: "NOT_VERIFIED",
        });
      }
      const [locking] = await h.audit();
      expect(locking).toMatchObject({ subject: "chat-2", reason: "LOCK_STARTED", customerIds: [maria] });
      // The right answer, from another subject, by the policy number or by name: refused while locked.
      const right = { policyNumber: "VA-1002", birthDate: "21-07-1980" };
      expect(await verify("chat-3", right)).toEqual({ verified: false, reason: "TEMPORARILY_LOCKED" });
      const byName = { name: "M. Jansen", birthDate: "21-07-1980", postcode: "5678 CD" };
      expect(await verify("chat-4", byName)).toEqual({ verified: false, reason: "TEMPORARILY_LOCKED" });
      const [refused] = await h.audit();
      expect(refused).toMatchObject({
        outcome: "denied",
        reason: "TEMPORARILY_LOCKED",
        customerIds: [maria],
      });
      // Another customer is not affected.
      expect((await verify("chat-5", { policyNumber: "VA-1001", birthDate: "12-03-1975" })).verified).toBe(
        true,
      );
      clock += 30 * MIN;
      expect(await verify("chat-6", right)).toMatchObject({ verified: true, customerId: maria });
    });
  });

  describe("agent search: a query that cannot identify anyone gets names and places only", () => {
    const search = async (json: Record<string, unknown>) => {
      const token = await h.token("agent", { sub: "agent-broad" });
      const res = await h.call("POST", "/v1/search", { token, json });
      expect(res.status).toBe(200);
      const text = await res.text();
      return {
        text,
        body: JSON.parse(text) as { restricted?: boolean; results: Array<Record<string, unknown>> },
      };
    };

    it.each<[string, Record<string, unknown>]>([
      ["a city alone, 50 asked", { city: "Utrecht", limit: 50 }],
      ["a single letter (the review's; nobody here starts with it)", { q: "a" }],
      ["a single letter", { q: "j" }],
      ["a lone first name", { q: "Maria" }],
      ["a surname alone", { name: "Jansen" }],
      ["initials and a surname", { name: "M. Jansen" }],
      ["a city with a phone number nobody has", { city: "Utrecht", phone: "06-11111111" }],
    ])("%s", async (_name, json) => {
      const { text, body } = await search(json);
      expect(body.restricted).toBe(true);
      if (json.q !== "a") expect(body.results.length).toBeGreaterThan(0);
      expect(body.results.length).toBeLessThanOrEqual(10);
      for (const r of body.results) {
        expect(Object.keys(r).sort()).toEqual(RESTRICTED_RESULT_KEYS);
        const customer = r.customer as Record<string, unknown>;
        expect(Object.keys(customer).sort()).toEqual(["address", "displayName", "kind"]);
        for (const key of Object.keys(customer.address as object)) expect(["city", "country"]).toContain(key);
        expect(r.policies).toEqual([]);
      }
      for (const leak of ["1980", "1975", "+31", "example.nl", "Dorpsweg", "5678", "VA-100"]) {
        expect(text).not.toContain(leak);
      }
      const [record] = await h.audit();
      expect(record).toMatchObject({
        endpoint: "POST /v1/search",
        outcome: "ok",
        reason: "SEARCH_RESTRICTED",
      });
      expect(record!.customerIds.length).toBe(body.results.length);
    });

    it.each([
      ["a name and a birth date", { q: "Jansen 21-07-1980" }],
      ["a policy number", { policyNumber: "VA-1002" }],
      ["a name and a city", { name: "Jansen", city: "Utrecht" }],
      ["a first name and a surname", { q: "Maria Jansen" }],
    ])("%s answers in full", async (_name, json) => {
      const { body } = await search(json);
      expect(body.restricted).toBeUndefined();
      expect(body.results[0]).toMatchObject({ customer: { surname: "Jansen", birthDate: "1980-07-21" } });
      const [record] = await h.audit();
      expect(record!.reason).toBeUndefined();
    });
  });

  describe("limits for everyone", () => {
    it("a flood without a token from one address: 5 recorded refusals, then one record with the count", async () => {
      const before = (await h.audit()).length;
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        statuses.push(
          (await h.call("POST", "/v1/search", { json: { name: "x" }, address: "203.0.113.7" })).status,
        );
      }
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
      // Another address is not held up.
      expect((await h.call("GET", "/v1/products", { address: "203.0.113.8" })).status).toBe(401);
      await h.system.app.flushAudit();
      const records = (await h.audit()).slice(0, (await h.audit()).length - before);
      const flood = records.filter((r) => r.clientAddress === "203.0.113.7");
      expect(flood.filter((r) => r.outcome === "unauthenticated")).toHaveLength(5);
      expect(flood.filter((r) => r.outcome === "rate_limited")).toEqual([
        expect.objectContaining({ subject: "anonymous", status: 429, count: 35 }),
      ]);
    });

    it.each([
      ["admin", "admin", 20, "GET", "/v1/products"],
      ["ingest", "ingest", 10, "GET", "/v1/deliveries/unknown"],
      ["a role refused by the route (403)", "intake-bot", 10, "GET", "/v1/products"],
    ] as const)("%s is limited per subject too", async (_name, role, limit, method, path) => {
      const token = await h.token(role, {
        sub: `flood-${role}`,
        ...(role === "ingest" ? { partner: "VOLMACHT-A" } : {}),
      });
      const statuses: number[] = [];
      for (let i = 0; i < limit + 3; i++) statuses.push((await h.call(method, path, { token })).status);
      expect(statuses.slice(0, limit).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(limit)).toEqual([429, 429, 429]);
      await h.system.app.flushAudit();
      const [record] = (await h.audit()).filter(
        (r) => r.subject === `flood-${role}` && r.outcome === "rate_limited",
      );
      expect(record).toMatchObject({ status: 429, count: 3 });
    });
  });

  describe("smaller ones", () => {
    it("answers with personal data (and errors) say Cache-Control: no-store", async () => {
      const agent = await h.token("agent", { sub: "agent-cache" });
      const answers = [
        await h.call("POST", "/v1/search", { token: agent, json: { policyNumber: "VA-1001" } }),
        await h.call("GET", `/v1/customers/${maria}`, { token: agent }),
        await h.call("POST", "/v1/callers", { token: agent, json: { phone: "0612345678" } }),
        await h.call("POST", "/v1/verifications", {
          token: await h.token("intake-bot", { sub: "bot-cache" }),
          json: { policyNumber: "VA-1001", birthDate: "12-03-1975" },
        }),
        await h.call("GET", "/v1/customers/nobody", { token: agent }),
      ];
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 404]);
      for (const r of answers) expect(r.headers.get("cache-control")).toBe("no-store");
    });

    it("receivedAt far in the future is a 400; a date alone is the start of that day in Amsterdam", async () => {
      const admin = await h.token("admin", { sub: "admin-received" });
      const path = "/v1/deliveries?partner=VOLMACHT-A&kind=full&receivedAt=";
      const future = await h.call("POST", `${path}2100-01-01`, { token: admin, body: PORTFOLIO_A });
      expect(future.status).toBe(400);
      expect(((await future.json()) as { code: string }).code).toBe("VALIDATION_FAILED");
      const dated = await h.call("POST", `${path}2024-01-05`, { token: admin, body: PORTFOLIO_A });
      expect(dated.status).toBe(202);
      const { id } = (await dated.json()) as { id: string };
      const settled = await h.system.services.intake.whenSettled(id);
      expect(settled.receivedAt).toBe("2024-01-04T23:00:00.000Z");
    });

    it("a JSON body sent as text/plain is a 415", async () => {
      const agent = await h.token("agent", { sub: "agent-415" });
      for (const path of ["/v1/search", "/v1/callers"]) {
        const res = await h.call("POST", path, {
          token: agent,
          body: JSON.stringify({ phone: "0612345678" }),
          headers: { "content-type": "text/plain" },
        });
        expect(res.status).toBe(415);
        expect(((await res.json()) as { code: string }).code).toBe("UNSUPPORTED_MEDIA_TYPE");
      }
    });

    const signed = async (iat: number, exp: number) =>
      new SignJWT({ roles: ["agent"] })
        .setProtectedHeader({ alg: "ES256", kid: h.keys.kid })
        .setIssuer(ISS)
        .setAudience(AUD)
        .setSubject("mallory")
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(await importJWK(h.keys.privateJwk, "ES256"));
    const now = () => Math.floor(Date.now() / 1000);
    it.each([
      ["an iat an hour in the future", () => signed(now() + 3600, now() + 7200)],
      ["an exp 100 years ahead", () => signed(now(), now() + 100 * 365 * 86400)],
      ["older than the maximum age (13 h)", () => signed(now() - 13 * 3600, now() + 600)],
    ])("a token with %s is refused", async (_name, make) => {
      const res = await h.call("GET", "/v1/products", { token: await make() });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe("UNAUTHENTICATED");
    });

    it("everything under DATA_DIR is the service's alone: directories 0700, files 0600", () => {
      const wrong: string[] = [];
      const walk = (path: string) => {
        const st = statSync(path);
        if (st.isDirectory()) {
          if ((st.mode & 0o777) !== 0o700) wrong.push(`${path} ${(st.mode & 0o777).toString(8)}`);
          for (const name of readdirSync(path)) walk(join(path, name));
        } else if ((st.mode & 0o777) !== 0o600) wrong.push(`${path} ${(st.mode & 0o777).toString(8)}`);
      };
      walk(h.dataDir);
      expect(readdirSync(h.dataDir).length).toBeGreaterThan(0);
      expect(wrong).toEqual([]);
    });
  });

  describe("ALLOWED_NETWORKS and TRUSTED_PROXIES", () => {
    const app = () =>
      createApp(h.system.services, {
        verifier: createLocalVerifier([h.keys.publicJwk], ISS, AUD),
        auditKey: new Uint8Array(32),
        logger: createLogger("silent"),
        allowedNetworks: parseCidrList("10.0.0.0/8, fd00::/8"),
        trustedProxies: parseCidrList("192.168.0.10"),
      });
    const from = async (address: string | undefined, path: string, forwarded?: string) => {
      const token = await h.token("agent", { sub: "agent-network" });
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (forwarded) headers["x-forwarded-for"] = forwarded;
      const env = address ? { incoming: { socket: { remoteAddress: address } } } : undefined;
      return app().request(path, { headers }, env);
    };

    it.each([
      ["10.1.2.3", undefined, 200],
      ["::ffff:10.1.2.3", undefined, 200],
      ["fd00::7", undefined, 200],
      ["203.0.113.5", undefined, 403],
      [undefined, undefined, 403],
      ["192.168.0.10", "10.1.2.3", 200],
      ["192.168.0.10", "10.1.2.3, 203.0.113.5", 403],
      ["192.168.0.10", "203.0.113.5, 10.1.2.3", 200],
      ["203.0.113.9", "10.1.2.3", 403],
    ])("from %s (forwarded %s): %s", async (address, forwarded, status) => {
      const before = (await h.audit()).length;
      const res = await from(address, "/v1/products", forwarded);
      expect(res.status).toBe(status);
      if (status === 403) {
        expect(((await res.json()) as { code: string }).code).toBe("NETWORK_NOT_ALLOWED");
        // Refused before anything else: not even audited.
        expect((await h.audit()).length).toBe(before);
      }
    });

    it("the health endpoints stay open to any address; the rest is closed", async () => {
      expect((await from("203.0.113.5", "/health/live")).status).toBe(200);
      expect((await from("203.0.113.5", "/health/ready")).status).toBe(200);
      expect((await from("203.0.113.5", "/openapi.json")).status).toBe(403);
      expect((await from("203.0.113.5", "/metrics")).status).toBe(403);
    });
  });
}

/** Audit records of one subject, newest first. */
export const recordsOf = (records: AuditRecord[], subject: string) =>
  records.filter((r) => r.subject === subject);

import { exportSPKI, generateKeyPair, importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/api/auth/principal.ts";
import { loadPortfolio } from "./support/fixtures.ts";
import { type Harness, PROBLEM_KEYS, startHarness } from "./support/harness.ts";

let h: Harness;
let deliveryId: string;
const ISS = "klantherkenning-dev";
const AUD = "klantherkenning";

beforeAll(async () => {
  h = await startHarness();
  ({ deliveryId } = await loadPortfolio(h));
});
afterAll(() => h?.close());

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

/** Asserts a bare problem document: the status, the code, and no key that could carry data. */
async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const text = await res.text();
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body.code).toBe(code);
  for (const key of Object.keys(body)) expect(PROBLEM_KEYS.has(key)).toBe(true);
  // Nothing of the portfolio and no internals.
  for (const leak of ["Berg", "Jansen", "Vries", "1234 AB", "VA-100", "stack", "at async"]) {
    expect(text).not.toContain(leak);
  }
}

async function signWith(alg: string, claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const key = await importJWK(h.keys.privateJwk, "ES256");
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: h.keys.kid, ...header })
    .setIssuer(ISS)
    .setAudience(AUD)
    .setSubject("mallory")
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key);
}

describe("authentication: every bad token is a 401 problem, recorded in the audit", () => {
  const cases: Array<[string, () => Promise<string | undefined>]> = [
    ["no token", async () => undefined],
    ["garbage", async () => "not-a-jwt"],
    [
      "expired (beyond the 30 s tolerance)",
      async () => {
        const key = await importJWK(h.keys.privateJwk, "ES256");
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ roles: ["agent"] })
          .setProtectedHeader({ alg: "ES256", kid: h.keys.kid })
          .setIssuer(ISS)
          .setAudience(AUD)
          .setSubject("mallory")
          .setIssuedAt(now - 3600)
          .setExpirationTime(now - 120)
          .sign(key);
      },
    ],
    [
      "wrong audience",
      async () => {
        const key = await importJWK(h.keys.privateJwk, "ES256");
        return new SignJWT({ roles: ["agent"] })
          .setProtectedHeader({ alg: "ES256", kid: h.keys.kid })
          .setIssuer(ISS)
          .setAudience("some-other-api")
          .setSubject("mallory")
          .setExpirationTime("5m")
          .sign(key);
      },
    ],
    [
      "wrong issuer",
      async () => {
        const key = await importJWK(h.keys.privateJwk, "ES256");
        return new SignJWT({ roles: ["agent"] })
          .setProtectedHeader({ alg: "ES256", kid: h.keys.kid })
          .setIssuer("https://evil.example")
          .setAudience(AUD)
          .setSubject("mallory")
          .setExpirationTime("5m")
          .sign(key);
      },
    ],
    [
      "no exp claim",
      async () => {
        const key = await importJWK(h.keys.privateJwk, "ES256");
        return new SignJWT({ roles: ["agent"] })
          .setProtectedHeader({ alg: "ES256", kid: h.keys.kid })
          .setIssuer(ISS)
          .setAudience(AUD)
          .setSubject("mallory")
          .sign(key);
      },
    ],
    [
      "alg none",
      async () => {
        const now = Math.floor(Date.now() / 1000);
        const payload = { roles: ["agent"], sub: "mallory", iss: ISS, aud: AUD, iat: now, exp: now + 300 };
        return `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`;
      },
    ],
    [
      "HS256 signed with the public key (HS/RS confusion)",
      async () => {
        const pub = await importJWK(h.keys.publicJwk, "ES256");
        const secret = new TextEncoder().encode(await exportSPKI(pub as Parameters<typeof exportSPKI>[0]));
        return new SignJWT({ roles: ["agent"] })
          .setProtectedHeader({ alg: "HS256", kid: h.keys.kid })
          .setIssuer(ISS)
          .setAudience(AUD)
          .setSubject("mallory")
          .setExpirationTime("5m")
          .sign(secret);
      },
    ],
    [
      "tampered payload (intake-bot promoted to agent)",
      async () => {
        const real = await h.token("intake-bot", { sub: "bot-1" });
        const [header, payload, sig] = real.split(".");
        const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
        return `${header}.${b64({ ...claims, roles: ["agent"] })}.${sig}`;
      },
    ],
    [
      "unknown kid (a key we never issued)",
      async () => {
        const { privateKey } = await generateKeyPair("ES256");
        return new SignJWT({ roles: ["agent"] })
          .setProtectedHeader({ alg: "ES256", kid: "attacker-key" })
          .setIssuer(ISS)
          .setAudience(AUD)
          .setSubject("mallory")
          .setExpirationTime("5m")
          .sign(privateKey);
      },
    ],
  ];

  it.each(cases)("%s", async (_name, make) => {
    const before = (await h.audit()).length;
    const token = await make();
    const res = await h.call("POST", "/v1/search", { ...(token ? { token } : {}), json: { name: "Berg" } });
    await expectProblem(res, 401, "UNAUTHENTICATED");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const records = await h.audit();
    expect(records.length).toBe(before + 1);
    expect(records[0]).toMatchObject({
      subject: "anonymous",
      endpoint: "POST /v1/search",
      outcome: "unauthenticated",
      status: 401,
      customerIds: [],
    });
  });

  it("our own key but a kid we do not publish is refused", async () => {
    const token = await signWith("ES256", { roles: ["agent"] }, { kid: "other" });
    await expectProblem(await h.call("GET", "/v1/products", { token }), 401, "UNAUTHENTICATED");
  });
});

interface Route {
  method: string;
  path: string;
  endpoint: string;
  allowed: Role[];
  json?: unknown;
  body?: string;
}
const ROUTES: Route[] = [
  {
    method: "POST",
    path: "/v1/deliveries?partner=VOLMACHT-A&kind=mutation",
    endpoint: "POST /v1/deliveries",
    allowed: ["ingest", "admin"],
    body: "x",
  },
  {
    method: "GET",
    path: "/v1/deliveries/DELIVERY",
    endpoint: "GET /v1/deliveries/:id",
    allowed: ["ingest", "admin"],
  },
  {
    method: "POST",
    path: "/v1/search",
    endpoint: "POST /v1/search",
    allowed: ["agent"],
    json: { name: "Berg" },
  },
  {
    method: "GET",
    path: "/v1/customers/some-customer",
    endpoint: "GET /v1/customers/:customerId",
    allowed: ["agent"],
  },
  {
    method: "POST",
    path: "/v1/callers",
    endpoint: "POST /v1/callers",
    allowed: ["agent"],
    json: { phone: "0612345678" },
  },
  {
    method: "POST",
    path: "/v1/coverage/assessments",
    endpoint: "POST /v1/coverage/assessments",
    allowed: ["agent"],
    json: { policyNumber: "VA-1001", incidentDate: "2025-06-01", legalArea: "wonen" },
  },
  {
    method: "POST",
    path: "/v1/verifications",
    endpoint: "POST /v1/verifications",
    allowed: ["intake-bot", "agent"],
    json: { policyNumber: "VA-1001", birthDate: "12-03-1975" },
  },
  {
    method: "PUT",
    path: "/v1/products/RB-PARTICULIER",
    endpoint: "PUT /v1/products/:code",
    allowed: ["admin"],
    json: {},
  },
  { method: "GET", path: "/v1/products", endpoint: "GET /v1/products", allowed: ["agent", "admin"] },
  {
    method: "POST",
    path: "/v1/jobs",
    endpoint: "POST /v1/jobs",
    allowed: ["admin"],
    json: { type: "purge" },
  },
  { method: "GET", path: "/v1/jobs/some-job", endpoint: "GET /v1/jobs/:id", allowed: ["admin"] },
  { method: "GET", path: "/v1/audit", endpoint: "GET /v1/audit", allowed: ["admin"] },
  {
    method: "POST",
    path: "/v1/privacy/subject-report",
    endpoint: "POST /v1/privacy/subject-report",
    allowed: ["privacy"],
    json: { customerId: "someone" },
  },
  {
    method: "POST",
    path: "/v1/privacy/erasure",
    endpoint: "POST /v1/privacy/erasure",
    allowed: ["privacy"],
    json: { customerId: "someone", reason: "test" },
  },
  {
    method: "GET",
    path: "/v1/privacy/erasure/some-erasure",
    endpoint: "GET /v1/privacy/erasure/:id",
    allowed: ["privacy"],
  },
];
const ALL_ROLES: Role[] = ["agent", "intake-bot", "ingest", "admin", "privacy"];
const refusals = ROUTES.flatMap((r) =>
  ALL_ROLES.filter((role) => !r.allowed.includes(role)).map((role) => [role, r.method, r.path, r] as const),
);

describe("authorisation: a role outside the contract's list gets a 403 problem, recorded as denied", () => {
  it.each(refusals)("%s → %s %s", async (role, method, path, r) => {
    const sub = `${role}-probe`;
    const token = await h.token(role, { sub, ...(role === "ingest" ? { partner: "VOLMACHT-A" } : {}) });
    const res = await h.call(method, path.replace("DELIVERY", deliveryId), {
      token,
      ...(r.json !== undefined ? { json: r.json } : {}),
      ...(r.body !== undefined ? { body: r.body } : {}),
    });
    await expectProblem(res, 403, "FORBIDDEN");
    const [last] = await h.audit();
    expect(last).toMatchObject({ subject: sub, outcome: "denied", status: 403, customerIds: [] });
    expect(last!.endpoint).toBe(r.endpoint);
  });

  it("a token without any known role is refused everywhere", async () => {
    const key = await importJWK(h.keys.privateJwk, "ES256");
    const roleless = await new SignJWT({ roles: ["superuser"] })
      .setProtectedHeader({ alg: "ES256", kid: h.keys.kid })
      .setIssuedAt()
      .setIssuer(ISS)
      .setAudience(AUD)
      .setSubject("nobody")
      .setExpirationTime("5m")
      .sign(key);
    await expectProblem(await h.call("GET", "/v1/products", { token: roleless }), 403, "FORBIDDEN");
  });
});

describe("object-level and partner checks", () => {
  it("ingest of another partner reading this partner's delivery gets 404, recorded as denied", async () => {
    const token = await h.token("ingest", { sub: "uploader-b", partner: "TUSSEN-B" });
    const res = await h.call("GET", `/v1/deliveries/${deliveryId}`, { token });
    await expectProblem(res, 404, "NOT_FOUND");
    const [last] = await h.audit();
    expect(last).toMatchObject({
      subject: "uploader-b",
      outcome: "denied",
      endpoint: "GET /v1/deliveries/:id",
    });
  });

  it("the delivery's own partner can read it", async () => {
    const token = await h.token("ingest", { sub: "uploader-a", partner: "VOLMACHT-A" });
    const res = await h.call("GET", `/v1/deliveries/${deliveryId}`, { token });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { partner: string }).partner).toBe("VOLMACHT-A");
  });

  it("ingest may not deliver for another partner, nor backfill receivedAt", async () => {
    const token = await h.token("ingest", { sub: "uploader-b", partner: "TUSSEN-B" });
    const other = await h.call("POST", "/v1/deliveries?partner=VOLMACHT-A&kind=mutation", {
      token,
      body: "x",
    });
    await expectProblem(other, 403, "FORBIDDEN");
    const backfill = await h.call(
      "POST",
      "/v1/deliveries?partner=TUSSEN-B&kind=mutation&receivedAt=2024-01-01T00:00:00Z",
      { token, body: "x" },
    );
    await expectProblem(backfill, 403, "FORBIDDEN");
  });

  it.each([
    ["POST", "/v1/search", { name: "Berg" }],
    ["POST", "/v1/callers", { phone: "06-12345678" }],
    ["GET", "/v1/customers/anyone", undefined],
  ] as const)("the intake bot cannot browse: %s %s is 403", async (method, path, json) => {
    const token = await h.token("intake-bot", { sub: "bot-1" });
    const res = await h.call(method, path, { token, ...(json ? { json } : {}) });
    await expectProblem(res, 403, "FORBIDDEN");
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./support/harness.ts";

const ISS = "https://idp.example";
const AUD = "klantherkenning";
let server: Server;
let url: string;
let mode: "ok" | "error" | "hang" = "ok";
let privateKey: PrivateKey;
let jwks: unknown;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  privateKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "idp-1", alg: "RS256", use: "sig" }] };
  server = createServer((_req, res) => {
    if (mode === "error") {
      res.writeHead(500).end();
      return;
    }
    // A hanging endpoint never answers, so only the verifier's 3 s timeout can end the wait.
    if (mode === "hang") return;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const sign = (kid = "idp-1") =>
  new SignJWT({ roles: ["agent"] })
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer(ISS)
    .setAudience(AUD)
    .setSubject("sso-agent")
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(privateKey);

async function harness(): Promise<Harness> {
  return startHarness({ AUTH_MODE: "jwks", AUTH_JWKS_URL: url, AUTH_ISSUER: ISS, AUTH_AUDIENCE: AUD });
}

describe("AUTH_MODE=jwks", () => {
  it("accepts an RS256 token from the identity provider's key set", async () => {
    mode = "ok";
    const h = await harness();
    try {
      const res = await h.call("GET", "/v1/products", { token: await sign() });
      expect(res.status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it.each([
    ["answers 500", "error"],
    ["does not answer within the 3 s timeout", "hang"],
  ] as const)(
    "fails closed with 503 AUTH_UNAVAILABLE when the key set endpoint %s",
    async (_n, m) => {
      mode = m;
      const h = await harness();
      try {
        const res = await h.call("POST", "/v1/search", { token: await sign(), json: { name: "Berg" } });
        expect(res.status).toBe(503);
        const body = (await res.json()) as { code: string };
        expect(body.code).toBe("AUTH_UNAVAILABLE");
        const [record] = await h.audit();
        expect(record).toMatchObject({ subject: "anonymous", endpoint: "POST /v1/search", outcome: "error" });
      } finally {
        mode = "ok";
        await h.close();
      }
    },
    20_000,
  );

  it("a dev token is worthless in jwks mode", async () => {
    mode = "ok";
    const h = await harness();
    try {
      const dev = await h.token("agent");
      expect((await h.call("GET", "/v1/products", { token: dev })).status).toBe(401);
    } finally {
      await h.close();
    }
  });
});

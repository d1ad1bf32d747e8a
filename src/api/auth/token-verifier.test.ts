import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadOrCreateDevKeys, mintDevToken } from "./dev-keys.ts";
import { createLocalVerifier } from "./token-verifier.ts";

const ISS = "klantherkenning-dev";
const AUD = "klantherkenning";

describe("token verifier cache", () => {
  afterEach(() => vi.useRealTimers());

  it("answers a repeated token the same, and still refuses it once it has expired", async () => {
    const keys = await loadOrCreateDevKeys(mkdtempSync(join(tmpdir(), "kh-auth-")));
    const verifier = createLocalVerifier([keys.publicJwk], ISS, AUD);
    const token = await mintDevToken(keys, {
      role: "agent",
      sub: "anna",
      ttlSeconds: 5,
      issuer: ISS,
      audience: AUD,
    });
    expect(await verifier.verify(token)).toEqual({ subject: "anna", roles: ["agent"] });
    expect(await verifier.verify(token)).toEqual({ subject: "anna", roles: ["agent"] });
    // Past exp plus the 30 s tolerance, yet inside the cache window: the entry must not outlive the token.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 40_000);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("never lets a tampered copy of a verified token through", async () => {
    const keys = await loadOrCreateDevKeys(mkdtempSync(join(tmpdir(), "kh-auth-")));
    const verifier = createLocalVerifier([keys.publicJwk], ISS, AUD);
    const token = await mintDevToken(keys, { role: "agent", sub: "anna", issuer: ISS, audience: AUD });
    await verifier.verify(token);
    const [h, p, s] = token.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, roles: ["admin"] })).toString("base64url")}.${s}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

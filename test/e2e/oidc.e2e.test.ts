import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from "vitest";
import { launchChromium } from "./support/browser.ts";
import { poll } from "./support/poll.ts";
import { type RunningService, startService } from "./support/service.ts";

// AUTH_MODE=jwks: the application signs in with the OpenID Connect authorization-code flow and PKCE
// against a real OpenID provider (node oidc-provider, its development sign-in pages), and the API
// accepts the access token it issues (JWT, ES256, audience and roles claim) through the provider's JWKS.

// RFC 8707: a resource indicator is an absolute URI.
const AUDIENCE = "https://api.klantherkenning.test/";
const CLIENT_ID = "klantherkenning-app";

// A browser on a shared 2-core machine is slow at times: the budget is generous, never a measure.
vi.setConfig({ testTimeout: 120_000 });
let idp: Server;
let issuer: string;
let service: RunningService;
let browser: Browser;
const tokenRequests: string[] = [];

beforeAll(async () => {
  idp = createServer();
  await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

  service = await startService({
    AUTH_MODE: "jwks",
    AUTH_ISSUER: issuer,
    AUTH_JWKS_URL: `${issuer}/jwks`,
    AUTH_AUDIENCE: AUDIENCE,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_SCOPE: "openid profile api",
    OIDC_RESOURCE: AUDIENCE,
  });

  const { privateKey: es } = await generateKeyPair("ES256", { extractable: true });
  const { privateKey: rs } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: "none",
        redirect_uris: [`${service.base}/`],
        post_logout_redirect_uris: [`${service.base}/`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: {
      keys: [
        { ...(await exportJWK(rs)), kid: "rs-1", alg: "RS256", use: "sig" },
        { ...(await exportJWK(es)), kid: "es-1", alg: "ES256", use: "sig" },
      ],
    },
    cookies: { keys: ["e2e-only-cookie-key"] },
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AuthorizationCode: 60,
      IdToken: 600,
      AccessToken: 600,
    },
    claims: { openid: ["sub"], profile: ["name"] },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, name: `Olga ${id}` }),
    }),
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: "api",
          audience: AUDIENCE,
          accessTokenFormat: "jwt",
          accessTokenTTL: 600,
          jwt: { sign: { alg: "ES256" } },
        }),
      },
    },
    pkce: { required: () => true },
    // The application calls discovery and the token endpoint from the browser (another origin).
    clientBasedCORS: () => true,
    extraTokenClaims: async () => ({ roles: ["agent"] }),
    // The service centre's own application: no consent screen.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope("openid profile");
      grant.addResourceScope(AUDIENCE, "api");
      await grant.save();
      return grant;
    },
  });
  provider.on("grant.success", (ctx) =>
    tokenRequests.push(String(ctx.oidc.params?.code_verifier ? "pkce" : "none")),
  );
  idp.on("request", provider.callback());
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await new Promise((r) => idp?.close(r));
});

describe("OpenID Connect sign-in in the browser", () => {
  it("signs in with code + PKCE at the provider, calls the API with the access token, keeps tokens out of storage, signs out", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("request", (r) => problems.push(`request: ${r.method()} ${r.url()}`));
    page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
    onTestFailed(async () => {
      console.error(`at ${page.url()}\n${problems.join("\n")}\n${await page.locator("body").textContent()}`);
    });
    await page.goto(`${service.base}/#/beller/0612345678`);
    await page.getByRole("button", { name: "Inloggen met organisatieaccount" }).click();

    // The provider's own sign-in page (oidc-provider's development interaction).
    await page.waitForURL((u) => u.href.startsWith(issuer));
    const authorize = new URL(page.url());
    expect(authorize.href).not.toContain("0612345678");
    await page.locator('input[name="login"]').fill("agent-olga");
    await page.locator('input[name="password"]').fill("any");
    await page.getByRole("button", { name: "Sign-in" }).click();

    // Back in the application, signed in, on the caller view it was opened with.
    await page.waitForURL((u) => u.href.startsWith(service.base));
    await poll(() => page.getByText("Olga agent-olga").count()).toBe(1);
    expect(page.url()).not.toContain("code=");
    expect(tokenRequests).toEqual(["pkce"]);
    // The access token works against the API: the caller's customer, once the demo portfolio is in.
    const box = page.getByRole("combobox", { name: "Zoeken" });
    let found = (await page.getByRole("link", { name: /A\.M\. de Vries/ }).count()) > 0;
    if (!found) await page.getByRole("link", { name: "Klant zoeken" }).click();
    for (let i = 0; i < 60 && !found; i++) {
      await box.fill(i % 2 ? "de vries utrecht" : "anna de vries");
      found = await page
        .getByRole("option", { name: /A\.M\. de Vries/ })
        .first()
        .waitFor({ timeout: 2000 })
        .then(() => true)
        .catch(() => false);
    }
    expect(found).toBe(true);

    // Tokens live in memory only: nothing in web storage, and a reload asks to sign in again.
    const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
    expect(stored).toBe("[{},{}]");
    await page.reload();
    await page.getByRole("button", { name: "Inloggen met organisatieaccount" }).waitFor();

    // Signed in again (the provider remembers the session), then signed out at the provider too.
    await page.getByRole("button", { name: "Inloggen met organisatieaccount" }).click();
    await page.getByRole("button", { name: "Uitloggen" }).waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Uitloggen" }).click();
    await page.waitForURL((u) => u.href.startsWith(issuer));
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL((u) => u.href.startsWith(service.base));
    await page.getByRole("button", { name: "Inloggen met organisatieaccount" }).waitFor();
    expect(tokenRequests).toEqual(["pkce", "pkce"]);
    await context.close();
  }, 180_000);
});

import * as oauth from "oauth4webapi";
import type { AppConfig } from "../api/types.ts";
import { type Session, sessionFromToken } from "./session.ts";

type OidcConfig = NonNullable<AppConfig["oidc"]>;

/** What survives the round trip to the provider: PKCE verifier, state, nonce, and where to return. */
interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
  /** A caller's number the telephony system opened the app with, before sign-in. */
  phone?: string;
}

// The only thing kept in sessionStorage, and only during the redirect: never a token.
const PENDING_KEY = "klantherkenning.oidc";

const redirectUri = () => `${location.origin}/`;

/** Plain http only to a provider on this machine (a developer's or a test's); anything else needs https. */
const insecureIfLoopback = (cfg: OidcConfig) =>
  ["127.0.0.1", "localhost", "[::1]"].includes(new URL(cfg.issuer).hostname)
    ? { [oauth.allowInsecureRequests]: true }
    : {};

async function discover(cfg: OidcConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(cfg.issuer);
  return oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, insecureIfLoopback(cfg)),
  );
}

/** Starts the authorization-code flow with PKCE: to the provider's sign-in page. */
export async function startSignIn(cfg: OidcConfig, returnTo: string, phone?: string): Promise<void> {
  const as = await discover(cfg);
  if (!as.authorization_endpoint) throw new Error("de identiteitsprovider noemt geen authorization_endpoint");
  const verifier = oauth.generateRandomCodeVerifier();
  const pending: Pending = {
    verifier,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    returnTo,
    ...(phone ? { phone } : {}),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set("client_id", cfg.clientId);
  url.searchParams.set("redirect_uri", redirectUri());
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", cfg.scope);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("state", pending.state);
  url.searchParams.set("nonce", pending.nonce);
  if (cfg.resource) url.searchParams.set("resource", cfg.resource);
  location.assign(url.href);
}

/** Whether this page load is the provider sending the browser back with a code (or an error). */
export function isCallback(): boolean {
  const p = new URLSearchParams(location.search);
  return (p.has("code") || p.has("error")) && p.has("state") && sessionStorage.getItem(PENDING_KEY) !== null;
}

/** Finishes the flow: exchanges the code (PKCE) for tokens, kept in memory only; cleans the URL. */
export async function finishSignIn(
  cfg: OidcConfig,
): Promise<{ session: Session; returnTo: string; phone?: string }> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const current = new URL(location.href);
  history.replaceState(null, "", "/");
  if (!raw) throw new Error("geen aanmelding gaande");
  const pending = JSON.parse(raw) as Pending;
  const as = await discover(cfg);
  const client: oauth.Client = { client_id: cfg.clientId };
  const params = oauth.validateAuthResponse(as, client, current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    {
      ...insecureIfLoopback(cfg),
      ...(cfg.resource ? { additionalParameters: { resource: cfg.resource } } : {}),
    },
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  const claims = oauth.getValidatedIdTokenClaims(result);
  const name = typeof claims?.name === "string" ? claims.name : claims?.sub;
  return {
    session: sessionFromToken(result.access_token, name, result.id_token),
    returnTo: pending.returnTo,
    ...(pending.phone ? { phone: pending.phone } : {}),
  };
}

/** Signs out at the provider too, when it offers an end-session endpoint; otherwise only here. */
export async function signOutAtProvider(cfg: OidcConfig, idToken: string | undefined): Promise<void> {
  const as = await discover(cfg);
  if (!as.end_session_endpoint) return;
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set("client_id", cfg.clientId);
  url.searchParams.set("post_logout_redirect_uri", redirectUri());
  if (idToken) url.searchParams.set("id_token_hint", idToken);
  location.assign(url.href);
}

import { computed, signal } from "@preact/signals";

/** Who is signed in: the bearer token (in memory only), a display name and the roles it carries. */
export interface Session {
  token: string;
  name: string;
  roles: string[];
  /** The OpenID Connect id token, for signing out at the provider. */
  idToken?: string;
  /** When the token expires (ms since epoch). */
  expiresAt: number;
}

/** The current session; never written to localStorage or sessionStorage. */
export const session = signal<Session | null>(null);

/** Why the user was signed out, shown on the sign-in page. */
export const signOutReason = signal<string | null>(null);

export const isAgent = computed(() => session.value?.roles.includes("agent") ?? false);
export const isAdmin = computed(() => session.value?.roles.includes("admin") ?? false);

/** Reads a JWT's payload without verifying it: the service verifies; the screen only shows the roles. */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Builds a session from an access token (roles and expiry from its claims) and a name. */
export function sessionFromToken(token: string, name: string | undefined, idToken?: string): Session {
  const claims = jwtClaims(token);
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r) => typeof r === "string") : [];
  const exp = typeof claims.exp === "number" ? claims.exp * 1000 : Date.now() + 3600_000;
  return {
    token,
    name: name ?? (typeof claims.sub === "string" ? claims.sub : "onbekend"),
    roles,
    expiresAt: exp,
    ...(idToken ? { idToken } : {}),
  };
}

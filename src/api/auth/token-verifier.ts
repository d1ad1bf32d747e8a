import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JWK,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import { AppError } from "../../domain/errors.ts";
import { type Principal, principalFromClaims, type TokenVerifier } from "./principal.ts";

/** Asymmetric algorithms only: `none` and every HS* are refused, which also stops HS/RS key confusion. */
export const ALLOWED_ALGORITHMS = ["RS256", "ES256", "EdDSA"];

/** Seconds of clock skew we accept between the token issuer and us. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** How long, and for how many tokens, a verified token is remembered (keys may rotate; keep it short). */
const VERIFIED_CACHE_MS = 60_000;
const VERIFIED_CACHE_SIZE = 10_000;

/** Key-set problems that say nothing about the token: the JWKS endpoint is down, slow or broken. */
const UNAVAILABLE = new Set(["ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID", "ERR_JOSE_GENERIC"]);

/** Oldest token accepted by default, by its `iat`; also the longest lifetime (`exp - iat`) a token may claim. */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 12 * 3600;

/** Options for a verifier: where the keys come from and what the token must claim. */
export interface VerifierOptions {
  getKey: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Oldest token accepted (seconds since its `iat`), and the longest lifetime it may claim. */
  maxTokenAgeSeconds?: number;
  /** The clock (ms since the epoch); tests move it. */
  now?: () => number;
}

/**
 * Verifies JWTs with jose: allow-listed algorithms, required `iss`, `aud`, `exp`, `iat` and `sub`, 30 s
 * clock tolerance; an `iat` in the future, a token older than the maximum age, or one issued for longer
 * than that age (an `exp` years ahead) is refused. A key set that cannot be fetched fails closed with
 * AUTH_UNAVAILABLE (503), never a pass.
 */
export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const clock = options.now ?? (() => Date.now());
  const maxAge = options.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
  // Signature checks cost more than the lookups they guard; a token string that verified is remembered
  // briefly. The exact string is the key, so a tampered token never hits; expiry is checked on every hit.
  const verified = new Map<string, { principal: Principal; exp: number; until: number }>();
  return {
    async verify(token: string): Promise<Principal> {
      const now = clock();
      const hit = verified.get(token);
      if (hit && now < hit.until && now < hit.exp) return hit.principal;
      if (hit) verified.delete(token);
      try {
        const { payload } = await jwtVerify(token, options.getKey, {
          algorithms: ALLOWED_ALGORITHMS,
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: ["exp", "iat", "sub", "iss", "aud"],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          maxTokenAge: maxAge,
          currentDate: new Date(now),
        });
        const iat = payload.iat ?? 0;
        const exp = payload.exp ?? 0;
        if (exp - iat > maxAge + CLOCK_TOLERANCE_SECONDS) {
          throw new AppError("UNAUTHENTICATED", `a token may be valid for at most ${maxAge} seconds`);
        }
        const principal = principalFromClaims(payload);
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
        // A hit must not outlive the token's expiry nor its maximum age.
        const ends = Math.min(exp, iat + maxAge + CLOCK_TOLERANCE_SECONDS) * 1000;
        verified.set(token, { principal, exp: ends, until: now + VERIFIED_CACHE_MS });
        return principal;
      } catch (err) {
        if (err instanceof AppError) throw err;
        const code = err instanceof errors.JOSEError ? err.code : undefined;
        if (code === undefined || UNAVAILABLE.has(code)) {
          throw new AppError("AUTH_UNAVAILABLE", "token keys could not be fetched; try again later", {
            cause: err,
          });
        }
        throw new AppError("UNAUTHENTICATED", "the bearer token is not valid", { cause: err });
      }
    },
  };
}

/** What a verifier may be told besides its keys: the maximum token age and the clock. */
export type VerifierLimits = Pick<VerifierOptions, "maxTokenAgeSeconds" | "now">;

/** Verifier for `AUTH_MODE=jwks`: keys from a remote JWKS with a short timeout and a cache. */
export function createJwksVerifier(
  url: string,
  issuer: string,
  audience: string,
  limits: VerifierLimits = {},
): TokenVerifier {
  const getKey = createRemoteJWKSet(new URL(url), {
    timeoutDuration: 3000,
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
  return createTokenVerifier({ getKey, issuer, audience, ...limits });
}

/** Verifier over a fixed set of public keys (dev mode and tests). */
export function createLocalVerifier(
  keys: JWK[],
  issuer: string,
  audience: string,
  limits: VerifierLimits = {},
): TokenVerifier {
  return createTokenVerifier({ getKey: createLocalJWKSet({ keys }), issuer, audience, ...limits });
}

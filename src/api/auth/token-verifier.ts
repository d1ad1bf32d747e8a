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

/** Key-set problems that say nothing about the token: the JWKS endpoint is down, slow or broken. */
const UNAVAILABLE = new Set(["ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID", "ERR_JOSE_GENERIC"]);

/** Options for a verifier: where the keys come from and what the token must claim. */
export interface VerifierOptions {
  getKey: JWTVerifyGetKey;
  issuer: string;
  audience: string;
}

/**
 * Verifies JWTs with jose: allow-listed algorithms, required `iss`, `aud`, `exp` and `sub`, 30 s clock
 * tolerance. A key set that cannot be fetched fails closed with AUTH_UNAVAILABLE (503), never a pass.
 */
export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  return {
    async verify(token: string): Promise<Principal> {
      try {
        const { payload } = await jwtVerify(token, options.getKey, {
          algorithms: ALLOWED_ALGORITHMS,
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: ["exp", "sub", "iss", "aud"],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        return principalFromClaims(payload);
      } catch (err) {
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

/** Verifier for `AUTH_MODE=jwks`: keys from a remote JWKS with a short timeout and a cache. */
export function createJwksVerifier(url: string, issuer: string, audience: string): TokenVerifier {
  const getKey = createRemoteJWKSet(new URL(url), {
    timeoutDuration: 3000,
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
  return createTokenVerifier({ getKey, issuer, audience });
}

/** Verifier over a fixed set of public keys (dev mode and tests). */
export function createLocalVerifier(keys: JWK[], issuer: string, audience: string): TokenVerifier {
  return createTokenVerifier({ getKey: createLocalJWKSet({ keys }), issuer, audience });
}

import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import type { Role } from "./principal.ts";

const FILE = "dev-auth-key.json";

/** The dev-mode signing key pair as kept in DATA_DIR (private JWK, mode 0600). */
export interface DevKeys {
  privateJwk: JWK;
  publicJwk: JWK;
  kid: string;
}

/** Refuses dev keys in production: env.ts refuses too; this is the second lock on the door. */
export function assertDevAllowed(nodeEnv: string | undefined): void {
  if (nodeEnv === "production") throw new Error("AUTH_MODE=dev is refused when NODE_ENV=production");
}

/** Loads the dev ES256 key pair from DATA_DIR, generating it once (file mode 0600). */
export async function loadOrCreateDevKeys(dataDir: string): Promise<DevKeys> {
  const path = join(dataDir, FILE);
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(await readFile(path, "utf8")) as JWK;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    privateJwk = await exportJWK(privateKey);
    privateJwk.kid = await calculateJwkThumbprint(privateJwk);
    privateJwk.alg = "ES256";
    await mkdir(dataDir, { recursive: true });
    await writeFile(path, JSON.stringify(privateJwk), { mode: 0o600, flag: "wx" }).catch(async (e) => {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      privateJwk = JSON.parse(await readFile(path, "utf8")) as JWK;
    });
  }
  await chmod(path, 0o600);
  const { d: _d, ...publicJwk } = privateJwk;
  return { privateJwk, publicJwk: { ...publicJwk, use: "sig" }, kid: String(privateJwk.kid) };
}

/** What a dev token says about its holder. */
export interface DevTokenClaims {
  role: Role | Role[];
  sub?: string;
  partner?: string;
  ttlSeconds?: number;
  issuer: string;
  audience: string;
}

/** Signs a short-lived dev JWT (ES256) with the DATA_DIR key. */
export async function mintDevToken(keys: DevKeys, claims: DevTokenClaims): Promise<string> {
  const roles = Array.isArray(claims.role) ? claims.role : [claims.role];
  const key = await importJWK(keys.privateJwk, "ES256");
  const jwt = new SignJWT({ roles, ...(claims.partner ? { partner: claims.partner } : {}) })
    .setProtectedHeader({ alg: "ES256", kid: keys.kid, typ: "JWT" })
    .setSubject(claims.sub ?? `dev-${roles[0]}`)
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 3600}s`);
  return jwt.sign(key);
}

import { z } from "zod";
import { parseCidrList } from "./cidr.ts";

const onOff = z.enum(["on", "off"]);
const url = z.url();
/** A comma-separated list of CIDR ranges or single addresses, IPv4 and IPv6; empty is none. */
const cidrList = z
  .string()
  .default("")
  .transform((text, ctx) => {
    try {
      return parseCidrList(text);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  });
const perMinute = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

/** The service's environment (see ../shared/CONTRACT.md, "Environment"), parsed once at start. */
export const Env = z
  .object({
    NODE_ENV: z.string().default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().min(1).default("127.0.0.1"),
    DATA_DIR: z.string().min(1).default("./data"),
    STORE: z.enum(["sqlite", "mongodb"]).default("sqlite"),
    MONGODB_URL: url.optional(),
    SEARCH: z.enum(["embedded", "elasticsearch", "opensearch"]).default("embedded"),
    /** Embedded engine and whole searches on a worker thread (the second core); `off` runs them in-thread. */
    SEARCH_WORKER: onOff.default("on"),
    ELASTICSEARCH_URL: url.optional(),
    OPENSEARCH_URL: url.optional(),
    /** Prepended to the search index and alias names, so several deployments can share one cluster. */
    SEARCH_INDEX_PREFIX: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "lower-case letters, digits, - and _ (at most 41)")
      .optional(),
    AUTH_MODE: z.enum(["dev", "jwks"]).default("dev"),
    AUTH_JWKS_URL: url.optional(),
    AUTH_ISSUER: z.string().min(1).default("klantherkenning-dev"),
    AUTH_AUDIENCE: z.string().min(1).default("klantherkenning"),
    DEMO_DATA: onOff.optional(),
    RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
    AUDIT_RETENTION_MONTHS: z.coerce.number().int().min(1).max(240).default(84),
    /** The daily purge's time of day in Europe/Amsterdam (`HH:MM`), or `off`. */
    PURGE_SCHEDULE: z
      .string()
      .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, "expected HH:MM (Europe/Amsterdam, 00:00-23:59) or off")
      .default("03:00"),
    /** How long a delivery waits for a search engine or store that went away, before it fails. */
    ENGINE_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(1800),
    /** Elasticsearch/OpenSearch: a search without an answer by then is a 503 SEARCH_UNAVAILABLE, and is cancelled. */
    SEARCH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1500),
    /** How long a MongoDB operation waits for a server to talk to (then 503 STORE_UNAVAILABLE). */
    MONGODB_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(2000),
    /** Accepted rows per store transaction while a delivery lands. */
    INGEST_BATCH_ROWS: z.coerce.number().int().min(100).max(1_000_000).default(25_000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    CORS_ORIGINS: z.string().optional(),
    /** Our own SIVI POR code(s), comma-separated: an NVGA File Polis for another insurer is refused. */
    NVGA_POR_CODES: z
      .string()
      .regex(/^[A-Za-z0-9]{1,12}(\s*,\s*[A-Za-z0-9]{1,12})*$/, "POR codes, comma-separated (N013,N014)")
      .optional(),
    RATE_LIMIT_BOT_PER_MINUTE: perMinute(60),
    RATE_LIMIT_AGENT_PER_MINUTE: perMinute(600),
    RATE_LIMIT_ADMIN_PER_MINUTE: perMinute(300),
    RATE_LIMIT_INGEST_PER_MINUTE: perMinute(120),
    /** Requests without a valid token, per client address. */
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: perMinute(30),
    /** Failed verifications against one policy number or customer before it is locked. */
    VERIFY_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    /** How long failures are counted, and how long a lock lasts. */
    VERIFY_LOCKOUT_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    /**
     * Several instances on one MongoDB: how long a lease (the intake's, a job type's) outlives its
     * holder's last heartbeat; a dead instance's delivery is taken over after at most this long.
     */
    LEASE_TTL_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
    /** Several instances on one MongoDB: how often each sends its rate-limit counts and reads the others'. */
    RATE_LIMIT_SYNC_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
    /** Oldest token accepted, by its `iat` (seconds). */
    AUTH_MAX_TOKEN_AGE_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .default(12 * 3600),
    /** Client networks allowed to use the service (health endpoints excepted); empty: any. */
    ALLOWED_NETWORKS: cidrList,
    /** Reverse proxies whose `X-Forwarded-For` is believed. */
    TRUSTED_PROXIES: cidrList,
    /** PEM certificate chain and private key: serve HTTPS directly (both or neither). */
    TLS_CERT_FILE: z.string().min(1).optional(),
    TLS_KEY_FILE: z.string().min(1).optional(),
    /** The application's OpenID Connect sign-in (AUTH_MODE=jwks): the issuer (default AUTH_ISSUER) and public client id. */
    OIDC_ISSUER: url.optional(),
    OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
    OIDC_SCOPE: z.string().min(1).default("openid profile"),
    /** Sent as the `resource` parameter (RFC 8707) so the provider issues a JWT access token for this API. */
    OIDC_RESOURCE: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    const need = (cond: boolean, path: string, message: string) => {
      if (cond) ctx.addIssue({ code: "custom", path: [path], message });
    };
    need(env.STORE === "mongodb" && !env.MONGODB_URL, "MONGODB_URL", "required when STORE=mongodb");
    need(
      env.SEARCH === "elasticsearch" && !env.ELASTICSEARCH_URL,
      "ELASTICSEARCH_URL",
      "required when SEARCH=elasticsearch",
    );
    need(
      env.SEARCH === "opensearch" && !env.OPENSEARCH_URL,
      "OPENSEARCH_URL",
      "required when SEARCH=opensearch",
    );
    need(env.AUTH_MODE === "jwks" && !env.AUTH_JWKS_URL, "AUTH_JWKS_URL", "required when AUTH_MODE=jwks");
    need(!!env.TLS_CERT_FILE && !env.TLS_KEY_FILE, "TLS_KEY_FILE", "required when TLS_CERT_FILE is set");
    need(!env.TLS_CERT_FILE && !!env.TLS_KEY_FILE, "TLS_CERT_FILE", "required when TLS_KEY_FILE is set");
    need(
      env.OIDC_CLIENT_ID !== undefined && env.OIDC_ISSUER === undefined && !URL.canParse(env.AUTH_ISSUER),
      "OIDC_ISSUER",
      "required with OIDC_CLIENT_ID when AUTH_ISSUER is not a URL",
    );
    need(
      env.AUTH_MODE === "dev" && env.NODE_ENV === "production",
      "AUTH_MODE",
      "dev is refused when NODE_ENV=production",
    );
  })
  .transform((env) => ({
    ...env,
    // Demo data is on by default outside production, and never on in production unless asked for.
    DEMO_DATA: env.DEMO_DATA ?? (env.NODE_ENV === "production" ? "off" : "on"),
    porCodes: env.NVGA_POR_CODES ? env.NVGA_POR_CODES.split(",").map((c) => c.trim()) : [],
  }));

/** The parsed, trusted environment. */
export type Env = z.infer<typeof Env>;

/** Thrown when the environment is invalid; its message is one line naming the variable. */
export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses an environment (default: process.env) or throws an EnvError with one clear line. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings count as "not set", as a shell `FOO=` usually means.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = Env.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const value = source[name];
  const shown = value === undefined ? "" : ` (got ${JSON.stringify(value.slice(0, 40))})`;
  throw new EnvError(`invalid environment: ${name}: ${issue.message}${shown}`);
}

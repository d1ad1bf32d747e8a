import { createHmac, createSecretKey, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { AppError } from "../domain/errors.ts";
import type { AuditRecord } from "../domain/model.ts";
import { uuid7 } from "../domain/uuid7.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/store.ts";
import type { AppEnv } from "./context.ts";
import { problemResponse } from "./problem.ts";

/** Writes audit records (protocollering); `record` rejects when the store could not keep it. */
export interface Auditor {
  record(entry: Omit<AuditRecord, "id" | "at" | "queryHash"> & { query?: unknown }): Promise<void>;
}

/** Sorted-key JSON so the same query always hashes the same, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Creates the auditor: HMAC-SHA256 of the canonical query with a secret key, so values never land in the log. */
export function createAuditor(store: Store, hmacKey: Uint8Array): Auditor {
  // One KeyObject for all records: handing createHmac the raw bytes imports the key on every lookup.
  const key = createSecretKey(hmacKey);
  return {
    async record(entry) {
      const { query, ...rest } = entry;
      const record: AuditRecord = {
        // Time-ordered: records of the same millisecond are listed in the order they were made.
        id: uuid7(),
        at: new Date().toISOString(),
        ...rest,
        ...(query !== undefined
          ? { queryHash: createHmac("sha256", key).update(canonicalJson(query)).digest("hex") }
          : {}),
      };
      await store.appendAudit(record);
    },
  };
}

/** Loads the audit HMAC key from DATA_DIR, creating 32 random bytes once (file mode 0600). */
export async function loadOrCreateAuditKey(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, "audit-hmac.key");
  try {
    return Buffer.from((await readFile(path, "utf8")).trim(), "base64");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  await writeFile(path, key.toString("base64"), { mode: 0o600, flag: "wx" }).catch(async (e) => {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  });
  await chmod(path, 0o600);
  return Buffer.from((await readFile(path, "utf8")).trim(), "base64");
}

/** Endpoint name for the audit: method and route pattern (ids go to `customerIds`, not here). */
export function endpointOf(c: Context): string {
  return `${c.req.method} ${routePath(c, -1) || new URL(c.req.url).pathname}`;
}

function outcomeOf(status: number): AuditRecord["outcome"] {
  if (status < 400) return "ok";
  if (status === 404) return "not_found";
  if (status === 401) return "unauthenticated";
  if (status === 403) return "denied";
  if (status === 429) return "rate_limited";
  return "error";
}

/**
 * Records one audit record per lookup, after the handler and before the answer leaves: if the record
 * cannot be written the answer is replaced by a 503 AUDIT_UNAVAILABLE problem carrying no data.
 */
export function audited(auditor: Auditor, logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const principal = c.get("principal");
    const info = c.get("auditInfo");
    const status = c.res.status;
    try {
      await auditor.record({
        subject: principal.subject,
        roles: principal.roles,
        endpoint: endpointOf(c),
        fields: info?.fields ?? [],
        ...(info?.query !== undefined ? { query: info.query } : {}),
        customerIds: status < 400 ? (info?.customerIds ?? []) : [],
        outcome: status < 400 && info?.outcome ? info.outcome : outcomeOf(status),
        status,
        ...(info?.reason ? { reason: info.reason } : {}),
        ...(info?.erasureReason && status < 400 ? { erasureReason: info.erasureReason } : {}),
      });
    } catch (err) {
      logger.error({ err: (err as Error).message, endpoint: endpointOf(c) }, "audit write failed");
      c.res = undefined;
      c.res = problemResponse(c, new AppError("AUDIT_UNAVAILABLE", "the lookup could not be recorded"));
    }
  };
}

import type { Principal } from "./auth/principal.ts";

/** What a lookup tells the audit: field names searched, the query (hashed, never stored), customers returned. */
export interface AuditInfo {
  fields: string[];
  query?: unknown;
  customerIds: string[];
  /** Overrides the outcome derived from the status (a verification miss is `not_found`). */
  outcome?: "ok" | "not_found";
  /** A privacy officer's reason (an erasure), kept on the record. */
  reason?: string;
}

/** Hono environment of this API: per-request variables set by middleware. */
export interface AppEnv {
  Variables: {
    principal: Principal;
    auditInfo: AuditInfo;
    /** Aborted when the request's time is up: the work beneath it (a search, a store read) stops. */
    signal?: AbortSignal;
  };
}

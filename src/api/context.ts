import type { Principal } from "./auth/principal.ts";

/** What a lookup tells the audit: field names searched, the query (hashed, never stored), customers returned. */
export interface AuditInfo {
  fields: string[];
  query?: unknown;
  customerIds: string[];
  /** Overrides the outcome derived from the status (a verification miss is `not_found`). */
  outcome?: "ok" | "not_found" | "denied";
  /** A stable code saying why (`SEARCH_RESTRICTED`, `MORE_ATTRIBUTES_NEEDED`, …), kept on the record. */
  reason?: string;
  /** The privacy officer's own reason for an erasure, as written, kept on the record. */
  erasureReason?: string;
}

/** Hono environment of this API: per-request variables set by middleware. */
export interface AppEnv {
  Variables: {
    principal: Principal;
    auditInfo: AuditInfo;
    /** The client's address: the socket's, or the right-most untrusted one a trusted proxy forwarded. */
    clientAddress: string | undefined;
    /** Aborted when the request's time is up: the work beneath it (a search, a store read) stops. */
    signal?: AbortSignal;
  };
}

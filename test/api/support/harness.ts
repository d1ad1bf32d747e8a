import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevKeys, loadOrCreateDevKeys, mintDevToken } from "../../../src/api/auth/dev-keys.ts";
import type { Role } from "../../../src/api/auth/principal.ts";
import { type ComposeOptions, compose, type System } from "../../../src/compose.ts";
import { parseEnv } from "../../../src/config/env.ts";
import type { AuditRecord } from "../../../src/domain/model.ts";
import { createLogger } from "../../../src/logger.ts";

/** A composed service on a temporary DATA_DIR, with helpers to mint tokens and call the API in-process. */
export interface Harness {
  system: System;
  keys: DevKeys;
  dataDir: string;
  token(role: Role | Role[], extra?: { sub?: string; partner?: string }): Promise<string>;
  call(
    method: string,
    path: string,
    init?: {
      token?: string;
      json?: unknown;
      body?: string | Uint8Array;
      headers?: Record<string, string>;
      /** The client's socket address, as Node would report it (default: none, an unknown client). */
      address?: string;
    },
  ): Promise<Response>;
  /** Every audit record, newest first. */
  audit(): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

/** Starts the real composed service (SQLite store + embedded engine unless `env` says otherwise). */
export async function startHarness(
  env: Record<string, string> = {},
  options: ComposeOptions = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), "kh-api-"));
  // The daily purge is off unless a test asks for it: a run at 03:00 would land in any test.
  const parsed = parseEnv({
    DATA_DIR: dataDir,
    DEMO_DATA: "off",
    LOG_LEVEL: "silent",
    PURGE_SCHEDULE: "off",
    ...env,
  });
  const system = await compose(parsed, createLogger("silent"), options);
  const keys = await loadOrCreateDevKeys(dataDir);
  return {
    system,
    keys,
    dataDir,
    token: (role, extra = {}) =>
      mintDevToken(keys, { role, ...extra, issuer: parsed.AUTH_ISSUER, audience: parsed.AUTH_AUDIENCE }),
    async call(method, path, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      let body = init.body;
      if (init.json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(init.json);
      }
      const env = init.address ? { incoming: { socket: { remoteAddress: init.address } } } : undefined;
      return system.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) }, env);
    },
    audit: () => system.services.store.queryAudit({ limit: 10_000 }),
    async close() {
      await system.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Keys a problem document may have; anything else would be a leak. */
export const PROBLEM_KEYS = new Set(["type", "title", "status", "detail", "code", "instance", "errors"]);

import type { AuditRecord } from "../../src/domain/model.ts";

/** An agent's search on record, naming `customerIds`. */
export const anAuditRecord = (
  id: string,
  customerIds: string[] = [],
  at = "2026-11-25T10:00:00.000Z",
): AuditRecord => ({
  id,
  at,
  subject: "agent-1",
  roles: ["agent"],
  endpoint: "POST /v1/search",
  fields: ["q"],
  customerIds,
  outcome: "ok",
  status: 200,
});

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

/**
 * The audit records as JSON with the generated values blanked: record ids, timestamps, customer ids
 * and the keyed query hash are random hex and digits, so a test that checks that a searched value
 * ("1975", "5678") was not stored would otherwise fail when one of them happens to contain it.
 */
export const auditTextWithoutGeneratedValues = (records: AuditRecord | AuditRecord[]): string =>
  JSON.stringify(records, (key, value: unknown) =>
    key === "id" || key === "at" || key === "queryHash" || key === "customerIds" ? "<generated>" : value,
  );

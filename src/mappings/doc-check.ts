import type { CustomerDoc } from "../search/search-engine.ts";

/**
 * Why a document cannot be indexed, or undefined when it can. Every engine applies these checks
 * before writing, so all reject the same documents (OpenSearch itself accepts `1980-13-45` as a date).
 */
export function docProblem(doc: CustomerDoc): string | undefined {
  if (typeof doc.customerId !== "string" || doc.customerId.length === 0) return "customerId is missing";
  if (doc.birthDate !== undefined) {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(doc.birthDate);
    const date = d ? new Date(`${doc.birthDate}T00:00:00Z`) : undefined;
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== doc.birthDate)
      return `birthDate is not a date: ${JSON.stringify(doc.birthDate).slice(0, 40)}`;
  }
  return undefined;
}

/**
 * Provenance per source: what each partner delivered about a customer is kept apart, and no partner's
 * delivery removes or replaces another partner's (the contract; rules in docs/architecture.md).
 * - A partner's files are one source: its newer delivery replaces its own earlier version (a delivery
 *   received earlier than the version held only joins its lineage).
 * - What an agent took down by phone from a partner is a source of its own beside that partner's
 *   files, until a file of the partner at least as new carries the customer: the partner's own word
 *   then stands for it (as a file confirms a policy given by phone).
 * - Taking a delivery out (retention, undoing a failed delivery) takes it out of every lineage; a
 *   source left with none is gone, and so is its partner's reference when no source of it remains.
 *
 * A customer with one source that its own attributes already say is stored without `sources` (most
 * customers: one partner's files). That is also how a store of the earlier layout holds every
 * customer: read as one source of its partner, or, merged from several partners, one per partner.
 */
import type { Channel, Customer, CustomerSource, PartnerRef } from "./model.ts";
import { newestFirst, shownAttributes } from "./shown-attributes.ts";

/** What one delivery states about a customer: one delivered row's party and contact data. */
export type Statement = Omit<CustomerSource, "deliveryIds" | "merged" | "channel"> & { channel?: Channel };

const byPhone = (s: { channel?: Channel | undefined }) => s.channel === "phone";

/** The sources of a customer, newest first: as kept, or the one its own attributes make. */
export function sourcesOf(c: Customer): CustomerSource[] {
  if (c.sources) return c.sources;
  const base = {
    deliveryId: c.deliveryIds.at(-1) ?? "",
    receivedAt: c.updatedAt,
    deliveryIds: c.deliveryIds,
    party: c.party,
    address: c.address,
    phones: c.phones,
    ...(c.email === undefined ? {} : { email: c.email }),
  };
  const partners = [...new Set(c.partnerRefs.map((r) => r.partner))];
  if (partners.length <= 1) return [{ partner: partners[0] ?? "", ...base }];
  return partners.map((partner) => ({ partner, ...base, merged: true as const }));
}

/** Every e-mail address any source of the customer states, the shown one first. */
export function emailsOf(c: Customer): string[] {
  if (!c.sources) return c.email === undefined ? [] : [c.email];
  const all = c.email === undefined ? [] : [c.email];
  for (const s of c.sources) if (s.email !== undefined && !all.includes(s.email)) all.push(s.email);
  return all;
}

/** A lineage with `id` last (moved there when already in it): the delivery whose version is shown. */
export function lineageEndingWith(lineage: readonly string[], id: string): string[] {
  if (lineage.at(-1) === id) return [...lineage];
  return lineage.includes(id) ? [...lineage.filter((d) => d !== id), id] : [...lineage, id];
}

/** Folds one delivery's statement into the sources (rules in the file header); newest first. */
export function withStatement(sources: readonly CustomerSource[], st: Statement): CustomerSource[] {
  const phone = byPhone(st);
  const out: CustomerSource[] = [];
  let own: CustomerSource | undefined;
  const absorbed: string[] = [];
  for (const s of sources) {
    if (s.partner !== st.partner) out.push(s);
    else if (byPhone(s) === phone) own = s;
    else if (!phone && st.receivedAt >= s.receivedAt) absorbed.push(...s.deliveryIds);
    else out.push(s);
  }
  const held = [...new Set([...(own?.deliveryIds ?? []), ...absorbed])];
  if (own && st.receivedAt < own.receivedAt) {
    out.push(
      held.includes(st.deliveryId)
        ? { ...own, deliveryIds: held }
        : { ...own, deliveryIds: [...held, st.deliveryId] },
    );
  } else {
    const { channel, email, ...said } = st;
    const source: CustomerSource = {
      ...said,
      deliveryIds: lineageEndingWith(held, st.deliveryId),
      ...(phone ? { channel } : {}),
      ...(email === undefined ? {} : { email }),
    };
    out.push(source);
  }
  return out.sort(newestFirst);
}

/** Takes a delivery out of every source's lineage; a source left with none is gone. Newest first. */
export function withoutDelivery(sources: readonly CustomerSource[], deliveryId: string): CustomerSource[] {
  const out: CustomerSource[] = [];
  for (const s of sources) {
    if (!s.deliveryIds.includes(deliveryId)) out.push(s);
    else if (s.deliveryIds.length > 1)
      out.push({ ...s, deliveryIds: s.deliveryIds.filter((d) => d !== deliveryId) });
  }
  return out.sort(newestFirst);
}

/**
 * The customer its sources make: shown attributes derived, lineage and updatedAt from the sources,
 * references only of partners that still have a source; `sources` left out when the customer's own
 * attributes say the one source (see the file header).
 */
export function customerFromSources(
  base: Pick<Customer, "customerId" | "partnerRefs" | "matchKeys">,
  sources: readonly CustomerSource[],
): Customer {
  const sorted = [...sources].sort(newestFirst);
  const shown = shownAttributes(sorted);
  // Oldest source's deliveries first: one source's lineage stays as it is, its own delivery last.
  const lineage: string[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) lineage.push(...sorted[i]!.deliveryIds);
  const deliveryIds = [...new Set(lineage)];
  const partners = new Set(sorted.map((s) => s.partner));
  const partnerRefs: PartnerRef[] = base.partnerRefs.filter((r) => partners.has(r.partner));
  const newest = sorted[0]!;
  const implicit =
    sorted.length === 1 &&
    !byPhone(newest) &&
    !newest.merged &&
    newest.deliveryIds.at(-1) === newest.deliveryId &&
    partnerRefs.length > 0;
  const customer: Customer = {
    customerId: base.customerId,
    ...shown,
    partnerRefs,
    matchKeys: base.matchKeys,
    deliveryIds,
    updatedAt: newest.receivedAt,
  };
  if (!implicit) customer.sources = sorted;
  return customer;
}

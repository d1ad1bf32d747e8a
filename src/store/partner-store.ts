import type { Partner } from "../domain/partner.ts";

/**
 * The partner registry section of the Store port: the partners the insurer knows, with their
 * agreements, keyed by partner id. Small (tens of partners), so reads answer whole lists.
 */
export interface PartnerStore {
  /** Upserts by id. */
  put(partner: Partner): Promise<void>;
  get(id: string): Promise<Partner | null>;
  /** Every registered partner, ordered by id. */
  list(): Promise<Partner[]>;
  /** Partner ids the store holds data of (deliveries or policies), registered or not, ordered. */
  heldPartnerIds(): Promise<string[]>;
  /** Ids of the customers holding a policy of this partner, ordered, each once. */
  customerIdsOf(partner: string): Promise<string[]>;
}

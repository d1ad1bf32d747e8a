import { AppError } from "../domain/errors.ts";
import { flaggedPartner, type Partner, type PartnerInput, partnerFromInput } from "../domain/partner.ts";
import type { Store } from "../store/store.ts";

/** How long partner names are served from memory before the store is read again (another process may write). */
const NAMES_TTL_MS = 30_000;

/**
 * The partner registry as the API and the intake use it: the records, their names for display
 * (kept in memory for NAMES_TTL_MS, refreshed on every write of this process), and the upgrade step.
 */
export interface PartnerRegistry {
  get(id: string): Promise<Partner | null>;
  list(): Promise<Partner[]>;
  /** Registers or replaces a partner from an admin's input. */
  put(id: string, input: PartnerInput, by?: string): Promise<Partner>;
  /** Partner id → name, for showing names beside ids. */
  names(): Promise<ReadonlyMap<string, string>>;
  /**
   * Registers, flagged for an admin to complete, every partner the store holds data of without a
   * record. Runs only while the registry is empty (the first start after the upgrade), since every
   * later delivery needs a registered partner. Answers the ids it registered.
   */
  registerHeldPartners(): Promise<string[]>;
}

/** The registry over a store; `now` is injectable for tests. */
export function createPartnerRegistry(store: Store, now: () => Date = () => new Date()): PartnerRegistry {
  let cached: { at: number; names: Map<string, string> } | undefined;
  const list = () => store.partners.list();
  return {
    get: (id) => store.partners.get(id),
    list,
    async put(id, input, by) {
      const existing = await store.partners.get(id);
      const partner = partnerFromInput(id, input, now().toISOString(), by, existing);
      await store.partners.put(partner);
      cached = undefined;
      return partner;
    },
    async names() {
      const at = now().getTime();
      if (!cached || at - cached.at > NAMES_TTL_MS || at < cached.at) {
        cached = { at, names: new Map((await list()).map((p) => [p.id, p.name])) };
      }
      return cached.names;
    },
    async registerHeldPartners() {
      if ((await list()).length > 0) return [];
      const held = await store.partners.heldPartnerIds();
      const at = now().toISOString();
      for (const id of held) await store.partners.put(flaggedPartner(id, at));
      cached = undefined;
      return held;
    },
  };
}

/** NOT_FOUND for an id no partner has. */
export const unknownPartner = (id: string) => new AppError("NOT_FOUND", `partner ${id} is not registered`);

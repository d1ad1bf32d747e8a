import type { Collection, Db } from "mongodb";
import type { Partner } from "../domain/partner.ts";
import type { PartnerStore } from "./partner-store.ts";

type PartnerDoc = Partner & { _id: string };
const NO_ID = { projection: { _id: 0 } } as const;

/** The partner registry on MongoDB: collection `partners`, keyed by partner id. */
export class MongoPartners implements PartnerStore {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  private get partners(): Collection<PartnerDoc> {
    return this.db.collection("partners");
  }

  async put(partner: Partner): Promise<void> {
    await this.partners.replaceOne({ _id: partner.id }, partner, { upsert: true });
  }

  async get(id: string): Promise<Partner | null> {
    return this.partners.findOne({ _id: id }, NO_ID);
  }

  async list(): Promise<Partner[]> {
    return this.partners.find({}, NO_ID).sort({ _id: 1 }).toArray();
  }

  async heldPartnerIds(): Promise<string[]> {
    const ids = new Set<string>();
    for (const name of ["deliveries", "policies"]) {
      for (const id of await this.db.collection(name).distinct("partner")) ids.add(String(id));
    }
    return [...ids].sort();
  }

  async customerIdsOf(partner: string): Promise<string[]> {
    const ids = await this.db.collection("policies").distinct("customerId", { partner });
    return ids.map(String).sort();
  }
}

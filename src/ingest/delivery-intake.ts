import type { Channel, Delivery } from "../domain/model.ts";

/** A delivery as it arrives: who, what kind, and the file's bytes as a stream. */
export interface SubmitDelivery {
  partner: string;
  kind: "full" | "mutation";
  format: "csv" | "jsonl";
  profile: string;
  channel: Channel;
  /** Backfill of the receipt time (admin only); default now. */
  receivedAt?: string;
  submittedBy?: string;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Takes partner deliveries into the system of record: keeps the file, parses and validates rows,
 * resolves customers, writes policy history, and has the indexer make accepted rows searchable.
 */
export interface DeliveryIntake {
  /** Stores the file and the delivery record (`received`), then processes in the background. */
  submit(input: SubmitDelivery): Promise<Delivery>;
  get(id: string): Promise<Delivery | null>;
  /** Resolves once the delivery is `completed` or `failed` (for the CLI and tests). */
  whenSettled(id: string): Promise<Delivery>;
}

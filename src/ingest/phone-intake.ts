import { AppError } from "../domain/errors.ts";
import type { Store } from "../store/store.ts";
import type { DeliveryIntake } from "./delivery-intake.ts";
import { type PhonePolicyInput, toPhoneDelivery } from "./phone-policy.ts";

/** What recording a policy given by phone answers: its delivery, the customer it landed on, the policy. */
export interface PhonePolicyRecorded {
  deliveryId: string;
  customerId: string;
  policyNumber: string;
}

/**
 * Records one policy a partner passes on by phone as a delivery of its own (channel `phone`, kind
 * `mutation`, submitted by the agent), through the intake every delivery goes through — file kept,
 * lineage, retention — and answers once it is processed and searchable. An invalid policy is a
 * VALIDATION_FAILED naming the fields, and nothing is stored.
 */
export async function recordPhonePolicy(
  deps: { intake: DeliveryIntake; store: Store },
  input: PhonePolicyInput,
  agent: string,
): Promise<PhonePolicyRecorded> {
  const delivery = await toPhoneDelivery(input);
  if (!delivery.ok)
    throw new AppError("VALIDATION_FAILED", "the policy is not valid", {
      details: { errors: delivery.errors },
    });
  const { row } = delivery;
  const submitted = await deps.intake.submit({
    partner: row.partner,
    kind: "mutation",
    format: "jsonl",
    profile: "standaard",
    channel: "phone",
    submittedBy: agent,
    body: bytesOf(`${delivery.line}\n`),
  });
  const settled = await deps.intake.whenSettled(submitted.id);
  if (settled.status !== "completed" || (settled.counts.accepted !== 1 && !settled.duplicateOf))
    throw new AppError("DELIVERY_REJECTED", settled.failure ?? "the policy was not accepted", {
      details: { deliveryId: settled.id },
    });
  const [policy] = await deps.store.getPolicies([{ partner: row.partner, policyNumber: row.policyNumber }]);
  if (!policy) throw new AppError("INTERNAL", `policy of delivery ${settled.id} not found after intake`);
  return { deliveryId: settled.id, customerId: policy.customerId, policyNumber: policy.policyNumber };
}

async function* bytesOf(text: string): AsyncIterable<Uint8Array> {
  yield new TextEncoder().encode(text);
}

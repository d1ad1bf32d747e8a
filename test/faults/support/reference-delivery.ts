import type { Delivery } from "../../../src/domain/model.ts";
import type { Harness } from "../../api/support/harness.ts";
import { registerPartners } from "../../support/partners.ts";

/**
 * Delivers `csv` as VOLMACHT-A's full delivery to `reference`, a service that never went away, with the
 * test partners registered first; resolves with the delivery once it has settled, for a fault test to
 * compare its own run with.
 */
export async function deliverToReference(reference: Harness, csv: string): Promise<Delivery> {
  await registerPartners(reference.system.services.store);
  const res = await reference.call("POST", "/v1/deliveries?partner=VOLMACHT-A&kind=full", {
    token: await reference.token("admin"),
    body: csv,
    headers: { "content-type": "text/csv" },
  });
  return reference.system.services.intake.whenSettled(((await res.json()) as { id: string }).id);
}

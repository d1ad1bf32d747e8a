import { Hono } from "hono";
import { z } from "zod";
import { recordPhonePolicy } from "../../ingest/phone-intake.ts";
import { PhonePolicyInput } from "../../ingest/phone-policy.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readJson } from "../route-deps.ts";

/** Answer of `POST /v1/phone-policies`: the delivery it was recorded as, and where the policy landed. */
export const PhonePolicyRecordedView = z.object({
  deliveryId: z.string(),
  customerId: z.string(),
  policyNumber: z.string(),
});

/** Names of the fields given, `policyholder.surname` style (never their values: they go to the audit). */
function fieldNames(input: PhonePolicyInput): string[] {
  const { policyholder, ...policy } = input;
  return [...Object.keys(policy), ...Object.keys(policyholder).map((k) => `policyholder.${k}`)].sort();
}

/** `POST /v1/phone-policies` (agent): one policy a partner passes on by phone, recorded as a delivery. */
export function phonePolicyRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "post",
    path: "/v1/phone-policies",
    summary: "Record one policy a partner passes on by phone",
    description:
      "Recorded as a delivery of the partner on channel `phone` (kind `mutation`, submitted by the agent) " +
      "through the same intake, validation, lineage and retention as any delivery, and processed at once: " +
      "the answer comes when the policy is searchable. Dates in any of the delivery notations. Search " +
      "results and the customer detail mark the policy `givenByPhone: {by, at}` until a delivery of the " +
      "partner itself confirms it. An invalid policy is a 400 naming the fields (`errors`), and nothing is " +
      "stored. One policy per request; on the audit record.",
    roles: ["agent"],
    body: PhonePolicyInput,
    responses: {
      201: { description: "Recorded and searchable", schema: PhonePolicyRecordedView },
      422: { description: "The intake did not accept the policy (DELIVERY_REJECTED)" },
    },
  });
  app.post("/v1/phone-policies", d.role("agent"), d.audited, async (c) => {
    const input = await readJson(c, PhonePolicyInput);
    const fields = fieldNames(input);
    c.set("auditInfo", { fields, query: input, customerIds: [] });
    const agent = c.get("principal").subject;
    const recorded = await recordPhonePolicy(d.services, input, agent);
    c.set("auditInfo", { fields, query: input, customerIds: [recorded.customerId] });
    c.header("Location", `/v1/customers/${recorded.customerId}`);
    return c.json(recorded, 201);
  });
  return app;
}

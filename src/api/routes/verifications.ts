import { Hono } from "hono";
import { z } from "zod";
import { CoverageSummary } from "../../domain/coverage/customer-detail.ts";
import { LegalArea } from "../../domain/model.ts";
import { QuestionKind } from "../../domain/service-advice/advice.ts";
import { normalisePolicyNumber } from "../../search/query-parse.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readJson } from "../route-deps.ts";
import {
  decideVerification,
  IDENTIFYING,
  STRONG_COMBINATIONS,
  strongCombination,
  targetedCustomers,
} from "../verification-policy.ts";

export { agreeingAttributes, decideVerification } from "../verification-policy.ts";

const field = (max: number) => z.string().trim().min(1).max(max).optional();

/**
 * Body of `POST /v1/verifications`: at least two identifying attributes. Our additions: `legalArea` and
 * `questionKind` narrow the summary's expected service to what the customer asks about.
 */
export const VerificationInput = z
  .object({
    policyNumber: field(40),
    name: field(100),
    birthDate: field(20),
    postcode: field(20),
    houseNumber: field(20),
    phone: field(30),
    legalArea: LegalArea.optional(),
    questionKind: QuestionKind.optional(),
  })
  .strict()
  .refine((v) => IDENTIFYING.filter((k) => v[k] !== undefined).length >= 2, {
    message: "give at least two identifying attributes",
  });
export type VerificationInput = z.infer<typeof VerificationInput>;

/** Why a verification did not verify; never which attribute was wrong. */
export const VerificationReason = z.enum([
  /** The attributes given are no strong combination: ask for more (see docs/security.md). */
  "MORE_ATTRIBUTES_NEEDED",
  /** A strong combination, but not exactly one customer holds every attribute given. */
  "NOT_VERIFIED",
  /** Too many failed attempts against this policy number or customer: try later, or hand over to an agent. */
  "TEMPORARILY_LOCKED",
]);
export type VerificationReason = z.infer<typeof VerificationReason>;

/** Answer: verified or not; on a hit only the customer id and a coverage summary, on a miss the reason. */
export const VerificationResponse = z.object({
  verified: z.boolean(),
  customerId: z.string().optional(),
  coverageSummary: CoverageSummary.optional(),
  reason: VerificationReason.optional(),
});

const TABLE = STRONG_COMBINATIONS.map((c) => c.join(" + ")).join("; ");

/** `POST /v1/verifications` (intake-bot, agent): does the person exist as stated? Minimal answer. */
export function verificationRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "post",
    path: "/v1/verifications",
    summary: "Verify a person from a strong combination of attributes (intake bot)",
    description:
      `Verifies only on a strong combination (${TABLE}; fullName: a surname with a first name or ` +
      "initial) when exactly one customer holds every attribute given; then only the customer id and a " +
      "coverage summary: per policy the partner, product and modules, and `services`: per legal area (only " +
      "`legalArea` when given) the kind of service a question raised today can expect, without reasons. Otherwise `{verified: false, reason}`: `MORE_ATTRIBUTES_NEEDED` (decided from " +
      "the attributes given, before any search), `NOT_VERIFIED`, or `TEMPORARILY_LOCKED` (after repeated " +
      "failures against the same policy number or customer, whoever tries). Rate limited per token subject.",
    roles: ["intake-bot", "agent"],
    body: VerificationInput,
    responses: {
      200: { description: "Verified or not", schema: VerificationResponse },
      429: { description: "Rate limit exceeded" },
    },
  });
  app.post("/v1/verifications", d.role("intake-bot", "agent"), d.audited, async (c) => {
    const input = await readJson(c, VerificationInput);
    const fields = Object.keys(input).sort();
    const answer = (
      reason: VerificationReason,
      audit: { reason?: string; customerIds?: string[]; outcome?: "not_found" | "denied" } = {},
    ) => {
      c.set("auditInfo", {
        fields,
        query: input,
        customerIds: audit.customerIds ?? [],
        outcome: audit.outcome ?? "not_found",
        reason: audit.reason ?? reason,
      });
      return c.json({ verified: false, reason });
    };
    if (!strongCombination(input)) return answer("MORE_ATTRIBUTES_NEEDED");

    const lockout = d.verificationLockout;
    const policyTargets = input.policyNumber ? [`policy:${normalisePolicyNumber(input.policyNumber)}`] : [];
    if ((await lockout.lockedFor(policyTargets)) > 0)
      return answer("TEMPORARILY_LOCKED", { outcome: "denied" });

    const { legalArea, questionKind, ...identifying } = input;
    const { results } = await d.services.search.search({ ...identifying, limit: 5 });
    const hit = decideVerification(input, results);
    const customers = hit ? [hit.customerId] : targetedCustomers(input, results);
    const customerTargets = customers.map((id) => `customer:${id}`);
    // A locked customer stays locked for a right answer too, or the lock would tell when a guess was right.
    if ((await lockout.lockedFor(customerTargets)) > 0)
      return answer("TEMPORARILY_LOCKED", { outcome: "denied", customerIds: customers });
    if (!hit) {
      const locked = await lockout.fail([...policyTargets, ...customerTargets]);
      return locked.length > 0
        ? answer("NOT_VERIFIED", { reason: "LOCK_STARTED", customerIds: customers })
        : answer("NOT_VERIFIED");
    }
    await lockout.succeed([...policyTargets, ...customerTargets]);
    const coverageSummary = await d.services.coverage.coverageSummary(hit.customerId, {
      legalArea,
      questionKind,
    });
    c.set("auditInfo", { fields, query: input, customerIds: [hit.customerId] });
    return c.json({ verified: true, customerId: hit.customerId, coverageSummary });
  });
  return app;
}

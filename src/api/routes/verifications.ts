import { Hono } from "hono";
import { z } from "zod";
import { CoverageSummary } from "../../domain/coverage/customer-detail.ts";
import { LegalArea } from "../../domain/model.ts";
import { parseDutchDate } from "../../domain/normalise/date.ts";
import { parseHouseNumber } from "../../domain/normalise/house-number.ts";
import { normalisePhone } from "../../domain/normalise/phone.ts";
import { normaliseDutchPostcode } from "../../domain/normalise/postcode.ts";
import { foldedWords } from "../../domain/normalise/text.ts";
import { QuestionKind } from "../../domain/service-advice/advice.ts";
import type { SearchResult } from "../../search/customer-search.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readJson } from "../route-deps.ts";

const IDENTIFYING = ["policyNumber", "name", "birthDate", "postcode", "houseNumber", "phone"] as const;
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

/** Answer: verified or not; on a hit only the customer id and a coverage summary, on a miss nothing else. */
export const VerificationResponse = z.object({
  verified: z.boolean(),
  customerId: z.string().optional(),
  coverageSummary: CoverageSummary.optional(),
});

/** Minimum confidence of the best match, and the gap to the runner-up, for a verification to hold. */
export const VERIFY_MIN_CONFIDENCE = 0.9;
export const VERIFY_MIN_GAP = 0.15;

/** Which of the given attributes the candidate really holds (checked here, not taken from the scorer). */
export function agreeingAttributes(input: VerificationInput, r: SearchResult): string[] {
  const v = r.customer;
  const agree: string[] = [];
  const squashed = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (
    input.policyNumber &&
    r.policies.some((p) => squashed(p.policyNumber) === squashed(input.policyNumber!))
  )
    agree.push("policyNumber");
  if (input.name) {
    // The held surname (or company name) must appear whole in what was given; initials may differ.
    const given = new Set(foldedWords(input.name));
    const held = foldedWords(v.surname ?? v.companyName ?? "");
    if (held.length > 0 && held.every((w) => given.has(w))) agree.push("name");
  }
  if (input.birthDate && v.birthDate && parseDutchDate(input.birthDate) === v.birthDate)
    agree.push("birthDate");
  if (input.postcode && v.address.postcode && normaliseDutchPostcode(input.postcode) === v.address.postcode)
    agree.push("postcode");
  if (input.houseNumber && v.address.houseNumber !== undefined) {
    const h = parseHouseNumber(input.houseNumber);
    if (
      h &&
      h.number === v.address.houseNumber &&
      (h.addition ?? "") === (v.address.houseNumberAddition ?? "")
    )
      agree.push("houseNumber");
  }
  if (input.phone) {
    const e164 = normalisePhone(input.phone);
    if (e164 && v.phones.some((p) => normalisePhone(p) === e164)) agree.push("phone");
  }
  return agree;
}

/** Decides a verification from ranked results: confident, unambiguous, and two given attributes agree. */
export function decideVerification(input: VerificationInput, results: SearchResult[]): SearchResult | null {
  const [best, second] = results;
  if (!best || best.confidence < VERIFY_MIN_CONFIDENCE) return null;
  if (second && best.confidence - second.confidence < VERIFY_MIN_GAP) return null;
  return agreeingAttributes(input, best).length >= 2 ? best : null;
}

/** `POST /v1/verifications` (intake-bot, agent): does the person exist as stated? Minimal answer. */
export function verificationRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "post",
    path: "/v1/verifications",
    summary: "Verify a person from at least two attributes (intake bot)",
    description:
      "`verified: true` only on a confident (≥ 0.9), unambiguous match agreeing on at least two given " +
      "attributes; then only the customer id and a coverage summary: per policy the partner, product and " +
      "modules, and `services`: per legal area (only `legalArea` when given) the kind of service a question " +
      "raised today can expect, without reasons. A miss answers `{verified: false}`. " +
      "Rate limited per token subject (429 with Retry-After).",
    roles: ["intake-bot", "agent"],
    body: VerificationInput,
    responses: {
      200: { description: "Verified or not", schema: VerificationResponse },
      429: { description: "Rate limit exceeded" },
    },
  });
  app.post("/v1/verifications", d.role("intake-bot", "agent"), d.audited, d.rateLimited, async (c) => {
    const input = await readJson(c, VerificationInput);
    const fields = Object.keys(input).sort();
    c.set("auditInfo", { fields, query: input, customerIds: [], outcome: "not_found" });
    const { legalArea, questionKind, ...identifying } = input;
    const { results } = await d.services.search.search({ ...identifying, limit: 3 });
    const hit = decideVerification(input, results);
    if (!hit) return c.json({ verified: false });
    const coverageSummary = await d.services.coverage.coverageSummary(hit.customerId, {
      legalArea,
      questionKind,
    });
    c.set("auditInfo", { fields, query: input, customerIds: [hit.customerId] });
    return c.json({ verified: true, customerId: hit.customerId, coverageSummary });
  });
  return app;
}

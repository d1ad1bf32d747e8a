import { z } from "zod";
import type { ErrorCode } from "./errors.ts";
import { IsoDate } from "./model.ts";

/** A partner's code as deliveries, tokens and policies name it (`VOLMACHT-A`). */
export const PartnerId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "partner code: letters, digits, - and _");

/** What kind of partner: underwriting agent (volmacht), intermediary (intermediair), insurer (verzekeraar). */
export const PartnerType = z.enum(["volmacht", "intermediair", "verzekeraar"]);
export type PartnerType = z.infer<typeof PartnerType>;

/**
 * Onboarding phase: `pilot` (first partners, data tested), `aansluiten` (being connected), `live`,
 * `gepauzeerd` (paused: deliveries refused), `beeindigd` (ended: deliveries refused).
 */
export const PartnerPhase = z.enum(["pilot", "aansluiten", "live", "gepauzeerd", "beeindigd"]);
export type PartnerPhase = z.infer<typeof PartnerPhase>;

/** Delivery formats a partner may use. */
export const DeliveryFormat = z.enum(["csv", "jsonl", "nvga-polis"]);
export type DeliveryFormat = z.infer<typeof DeliveryFormat>;

/** Default share of a partner's running policies a full delivery may end before it is held. */
export const DEFAULT_HOLD_THRESHOLD_PERCENT = 20;

/** The body of `PUT /v1/partners/{id}`: what an admin registers about a partner. */
export const PartnerInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: PartnerType,
    phase: PartnerPhase,
    /** The date the supplementary VRA agreement (full customer and policy data) was signed; none: not signed. */
    agreementSignedOn: IsoDate.nullish(),
    /** SIVI AFD POR code (e.g. N013), where known. */
    porCode: z
      .string()
      .regex(/^[A-Za-z0-9]{1,12}$/, "letters and digits")
      .optional(),
    /** The partner's agency number (volmachtnummer) at the insurer, where known. */
    agencyNumber: z.string().trim().min(1).max(40).optional(),
    contact: z
      .object({
        name: z.string().trim().max(200).optional(),
        email: z.email().max(254).optional(),
        phone: z.string().trim().max(40).optional(),
      })
      .strict()
      .optional(),
    /** Formats it delivers in (for the record; a delivery in another format is still read). */
    formats: z.array(DeliveryFormat).max(3).optional(),
    /** Profiles it delivers with (`profiles/`), for the record. */
    profiles: z
      .array(z.string().regex(/^[a-z0-9_-]{1,40}(@\d{1,4})?$/, "profile name, optionally @version"))
      .max(20)
      .optional(),
    /** A full delivery ending more than this share of its running policies is held (default 20). */
    holdThresholdPercent: z.number().min(0).max(100).default(DEFAULT_HOLD_THRESHOLD_PERCENT),
  })
  .strict();
export type PartnerInput = z.infer<typeof PartnerInput>;

/** A registered partner as stored (the registry is the system of record for partners). */
export const Partner = PartnerInput.omit({ agreementSignedOn: true }).extend({
  id: PartnerId,
  agreementSignedOn: IsoDate.optional(),
  registeredAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().optional(),
  /**
   * Set when the record was made on start from data the store already held (an upgrade): an admin
   * must complete it (the agreement date is unknown). Cleared by the admin's next `PUT`.
   */
  review: z.object({ reason: z.string(), since: z.string() }).optional(),
});
export type Partner = z.infer<typeof Partner>;

/** What an agent may see of a partner: enough to show its name. */
export type PartnerListing = Pick<Partner, "id" | "name" | "type">;

/** Builds the stored record from an admin's input; a new `PUT` replaces the whole record (and clears a review flag). */
export function partnerFromInput(
  id: string,
  input: PartnerInput,
  now: string,
  by: string | undefined,
  existing: Partner | null,
): Partner {
  const { agreementSignedOn, ...rest } = input;
  return {
    ...rest,
    id,
    ...(agreementSignedOn ? { agreementSignedOn } : {}),
    registeredAt: existing?.registeredAt ?? now,
    updatedAt: now,
    ...(by ? { updatedBy: by } : {}),
  };
}

/** The record an upgrade makes for a partner the store already held data of. */
export function flaggedPartner(id: string, now: string): Partner {
  return {
    id,
    name: id,
    type: "volmacht",
    phase: "live",
    holdThresholdPercent: DEFAULT_HOLD_THRESHOLD_PERCENT,
    registeredAt: now,
    updatedAt: now,
    review: {
      reason:
        "registered on start from data the store already held: name, type and the date the VRA agreement was signed are unknown",
      since: now,
    },
  };
}

/** Why a partner may not deliver now, or null when it may. */
export interface DeliveryRefusal {
  code: Extract<ErrorCode, "PARTNER_UNKNOWN" | "PARTNER_AGREEMENT_MISSING" | "PARTNER_INACTIVE">;
  message: string;
}

/**
 * Whether a partner may deliver on `today` (yyyy-mm-dd): registered, not paused or ended, and with a
 * signed supplementary VRA agreement (signed on or before today). A record flagged for review
 * (registered by an upgrade, agreement date unknown) keeps delivering as it did before the upgrade,
 * until an admin completes it.
 */
export function deliveryRefusal(id: string, partner: Partner | null, today: string): DeliveryRefusal | null {
  if (!partner) return { code: "PARTNER_UNKNOWN", message: `partner ${id} is not registered` };
  if (partner.phase === "gepauzeerd" || partner.phase === "beeindigd") {
    return { code: "PARTNER_INACTIVE", message: `partner ${id} is ${partner.phase}: deliveries are refused` };
  }
  if (partner.review && !partner.agreementSignedOn) return null;
  if (!partner.agreementSignedOn || partner.agreementSignedOn > today) {
    return {
      code: "PARTNER_AGREEMENT_MISSING",
      message: `partner ${id} has not signed the supplementary VRA agreement: its data may not be received`,
    };
  }
  return null;
}

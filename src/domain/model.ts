import { z } from "zod";

/** A calendar date, `yyyy-mm-dd` (Europe/Amsterdam calendar; no time, no zone). */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date yyyy-mm-dd");
export type IsoDate = z.infer<typeof IsoDate>;

/** Legal areas (rechtsgebieden) a dispute can fall under; the contract's list, in its order. */
export const LEGAL_AREAS = [
  "consument",
  "wonen",
  "buren",
  "arbeid",
  "verkeer",
  "inkomen",
  "fiscaal",
  "familie",
  "personenschade",
  "erfrecht",
  "vermogen",
  "medisch",
  "reizen",
  "ondernemen",
] as const;
export const LegalArea = z.enum(LEGAL_AREAS);
export type LegalArea = z.infer<typeof LegalArea>;

/** Policy status as partners deliver it: running, cancelled (geroyeerd), suspended (geschorst). */
export const PolicyStatus = z.enum(["actief", "geroyeerd", "geschorst"]);
export type PolicyStatus = z.infer<typeof PolicyStatus>;

/** The policyholder: a person (`P`) or a company (`Z`, zakelijk). */
export const Party = z.object({
  kind: z.enum(["P", "Z"]),
  /** Voorletters, normalised to `J.P.` style. */
  initials: z.string().optional(),
  /** Voornamen as delivered (display form). */
  firstNames: z.string().optional(),
  /** Tussenvoegsel: the surname prefix (`van`, `de`, `van der`, `in 't`), lower case. */
  tussenvoegsel: z.string().optional(),
  /** Achternaam without the tussenvoegsel, display form (diacritics kept). */
  surname: z.string().optional(),
  companyName: z.string().optional(),
  /** KvK: Chamber of Commerce number, 8 digits. */
  kvk: z.string().optional(),
  birthDate: IsoDate.optional(),
  gender: z.enum(["M", "V", "X"]).optional(),
});
export type Party = z.infer<typeof Party>;

/** A Dutch or foreign address; `postcode` is `1234 AB` in NL and free text abroad. */
export const Address = z.object({
  street: z.string().optional(),
  houseNumber: z.number().int().positive().optional(),
  /** Toevoeging: `A`, `BIS`, `2HG`… upper case, no separators. */
  houseNumberAddition: z.string().optional(),
  postcode: z.string().optional(),
  city: z.string().optional(),
  /** ISO 3166 alpha-2. */
  country: z.string().length(2).default("NL"),
});
export type Address = z.infer<typeof Address>;

/** A phone number: what the partner delivered, and E.164 where it could be normalised. */
export const Phone = z.object({ raw: z.string(), e164: z.string().nullable() });
export type Phone = z.infer<typeof Phone>;

/** The terms of a policy as one delivery row states them. */
export const PolicyTerms = z.object({
  product: z.string().min(1),
  /** Dekkingen: module codes. */
  modules: z.array(z.string().min(1)),
  startDate: IsoDate,
  endDate: IsoDate.optional(),
  status: PolicyStatus,
  /** Voorwaarden: the conditions code. */
  conditionsCode: z.string().optional(),
  /** Clausules: clause codes. */
  clauseCodes: z.array(z.string().min(1)),
  /** Eigen risico: deductible in euros. */
  deductible: z.number().nonnegative().optional(),
  /** Gezin: household members are co-insured. */
  household: z.boolean(),
});
export type PolicyTerms = z.infer<typeof PolicyTerms>;

/** One accepted delivery row in canonical form: one policy with its policyholder. */
export const CanonicalRow = z.object({
  partner: z.string().min(1),
  /** Polisnummer, as delivered (trimmed). */
  policyNumber: z.string().min(1),
  /** Relatienummer: the partner's own customer number. */
  partnerCustomerNumber: z.string().optional(),
  party: Party,
  address: Address,
  phones: z.array(Phone),
  email: z.string().optional(),
  policy: PolicyTerms,
  /** Mutatiedatum: the date this version takes effect, when the row states it. */
  effectiveDate: IsoDate.optional(),
});
export type CanonicalRow = z.infer<typeof CanonicalRow>;

/** How a delivery reached us. */
export const Channel = z.enum(["upload", "portal", "polischeck", "phone"]);
export type Channel = z.infer<typeof Channel>;

/** A rejected row: line number in the file (header is line 1), the field, and why. */
export const RowError = z.object({ line: z.number().int(), field: z.string(), message: z.string() });
export type RowError = z.infer<typeof RowError>;

/** One partner delivery (portfolio file, mutation file, feed batch) and its processing state. */
export const Delivery = z.object({
  id: z.string(),
  partner: z.string(),
  kind: z.enum(["full", "mutation"]),
  format: z.enum(["csv", "jsonl"]),
  profile: z.string(),
  channel: Channel,
  receivedAt: z.string(),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
  status: z.enum(["received", "processing", "completed", "failed"]),
  counts: z.object({ rows: z.number().int(), accepted: z.number().int(), rejected: z.number().int() }),
  errors: z.array(RowError),
  /** Set when the same file was delivered before; such a delivery changes nothing. */
  duplicateOf: z.string().optional(),
  /** Why the whole delivery failed, when it did. */
  failure: z.string().optional(),
  submittedBy: z.string().optional(),
});
export type Delivery = z.infer<typeof Delivery>;

/** A partner's reference to a customer. */
export const PartnerRef = z.object({ partner: z.string(), partnerCustomerNumber: z.string().optional() });
export type PartnerRef = z.infer<typeof PartnerRef>;

/** A person or company resolved across deliveries and partners. */
export const Customer = z.object({
  customerId: z.string(),
  party: Party,
  address: Address,
  phones: z.array(Phone),
  email: z.string().optional(),
  partnerRefs: z.array(PartnerRef),
  /** Deterministic identity keys this customer is known by (see domain/identity). */
  matchKeys: z.array(z.string()),
  /** Lineage: every delivery that carried or confirmed this record. */
  deliveryIds: z.array(z.string()),
  /** receivedAt of the newest delivery that carried this customer. */
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof Customer>;

/**
 * A policy version a partner passed on by phone: recorded by `by` (the agent's token subject) at `at`
 * (ISO instant) in delivery `deliveryId` (channel `phone`).
 */
export const GivenByPhone = z.object({ by: z.string(), at: z.string(), deliveryId: z.string() });
export type GivenByPhone = z.infer<typeof GivenByPhone>;

/** One version of a policy, valid from `validFrom` (inclusive) to `validTo` (exclusive, open when absent). */
export const PolicyVersion = PolicyTerms.extend({
  validFrom: IsoDate,
  validTo: IsoDate.optional(),
  deliveryIds: z.array(z.string()),
  /** Set while the version rests on a phone delivery alone (no partner file has confirmed it). */
  givenByPhone: GivenByPhone.optional(),
});
export type PolicyVersion = z.infer<typeof PolicyVersion>;

/** A policy of one partner with its history; `(partner, policyNumber)` is unique. */
export const Policy = z.object({
  partner: z.string(),
  policyNumber: z.string(),
  customerId: z.string(),
  /** Versions ordered by validFrom, non-overlapping. */
  versions: z.array(PolicyVersion).min(1),
  deliveryIds: z.array(z.string()),
});
export type Policy = z.infer<typeof Policy>;

/** A product in the catalogue (contract "Product JSON"). */
export const Product = z.object({
  code: z.string().min(1).max(64),
  name: z.string().min(1),
  reportingDeadlineMonths: z.number().int().min(0).max(600),
  modules: z
    .array(
      z.object({
        code: z.string().min(1),
        name: z.string().min(1),
        legalAreas: z.array(LegalArea),
        waitingPeriodMonths: z.number().int().min(0).max(120),
        minimumClaimAmount: z.number().nonnegative().optional(),
      }),
    )
    .min(1),
  clauses: z.array(
    z.object({ code: z.string().min(1), text: z.string(), excludesLegalAreas: z.array(LegalArea) }),
  ),
  conditions: z.array(z.object({ code: z.string().min(1), validFrom: IsoDate })),
});
export type Product = z.infer<typeof Product>;

/** A background job (reindex, purge). */
export const Job = z.object({
  id: z.string(),
  type: z.enum(["reindex", "purge"]),
  status: z.enum(["queued", "running", "completed", "failed"]),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string().optional(),
  /** Asked for while another instance ran a job of this type, this one is answered by that run. */
  coveredBy: z.string().optional(),
});
export type Job = z.infer<typeof Job>;

/** One append-only audit record (protocollering): who looked up what, without the values searched. */
export const AuditRecord = z.object({
  id: z.string(),
  at: z.string(),
  subject: z.string(),
  roles: z.array(z.string()),
  endpoint: z.string(),
  /** Names of the fields searched, never their values. */
  fields: z.array(z.string()),
  /** Keyed hash (HMAC) of the query, for correlating repeated lookups. */
  queryHash: z.string().optional(),
  customerIds: z.array(z.string()),
  outcome: z.enum(["ok", "not_found", "denied", "unauthenticated", "error", "rate_limited"]),
  status: z.number().int(),
  /** Why the outcome is what it is, as a stable code (`SEARCH_RESTRICTED`, `TEMPORARILY_LOCKED`, …). */
  reason: z.string().optional(),
  /** How many requests this record stands for: a burst of refusals is recorded once (default 1). */
  count: z.number().int().min(1).optional(),
  /** The client's address, on records of requests without a valid token. */
  clientAddress: z.string().optional(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

import { z } from "zod";
import { DeliveryQuality } from "./delivery-quality.ts";
import { ErasureReceipt } from "./erasure-receipt.ts";

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

/**
 * A full delivery whose endings wait for an admin (status `held`): it would end more than the
 * partner's threshold of its running policies. Its rows are taken in; the policies it lacks are not
 * ended until released; a rejection undoes the delivery whole.
 */
export const DeliveryHold = z.object({
  reason: z.string(),
  /** Running policies it would end, the running policies it keeps (those it holds), and the share ended. */
  wouldEnd: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  percent: z.number().nonnegative(),
  thresholdPercent: z.number().nonnegative(),
  /** The date the endings take effect when released (the delivery's date). */
  endDate: IsoDate,
  decision: z.enum(["released", "rejected"]).optional(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
});
export type DeliveryHold = z.infer<typeof DeliveryHold>;

/** What an NVGA File Polis said about itself (src/ingest/nvga-rows.ts). */
export const DeliveryFileInfo = z.object({
  root: z.string().optional(),
  referenceDate: IsoDate.optional(),
  includesCancelled: z.boolean().optional(),
  recipients: z.array(z.string()),
  skippedOtherBranches: z.number().int(),
  skippedOtherInsurers: z.number().int(),
  unknownLabels: z.record(z.string(), z.number().int()),
});
export type DeliveryFileInfo = z.infer<typeof DeliveryFileInfo>;

/** One partner delivery (portfolio file, mutation file, feed batch) and its processing state. */
export const Delivery = z.object({
  id: z.string(),
  partner: z.string(),
  kind: z.enum(["full", "mutation"]),
  format: z.enum(["csv", "jsonl", "nvga-polis"]),
  profile: z.string(),
  channel: Channel,
  receivedAt: z.string(),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
  status: z.enum(["received", "processing", "completed", "failed", "held"]),
  counts: z.object({ rows: z.number().int(), accepted: z.number().int(), rejected: z.number().int() }),
  errors: z.array(RowError),
  /** Set when the same file was delivered before; such a delivery changes nothing. */
  duplicateOf: z.string().optional(),
  /** Why the whole delivery failed, when it did, and the stable code of that failure. */
  failure: z.string().optional(),
  /** Rows taken out of the stored file by erasures (the file's `sha256` stays the original's). */
  redactedRows: z.number().int().optional(),
  failureCode: z.string().optional(),
  submittedBy: z.string().optional(),
  /** Status `held`: why, with the numbers, and an admin's decision once made. */
  hold: DeliveryHold.optional(),
  /** The data's quality, counted while it was taken in (the partner quality report reads it). */
  quality: DeliveryQuality.optional(),
  /** An NVGA File Polis: what its header said, and what was skipped or not understood. */
  fileInfo: DeliveryFileInfo.optional(),
});
export type Delivery = z.infer<typeof Delivery>;

/** A partner's reference to a customer. */
export const PartnerRef = z.object({ partner: z.string(), partnerCustomerNumber: z.string().optional() });
export type PartnerRef = z.infer<typeof PartnerRef>;

/**
 * What one partner says about a customer: the version its newest delivery carried (see
 * domain/customer-sources). A policy an agent took down by phone is a source of its own beside the
 * partner's files (`channel: "phone"`).
 */
export const CustomerSource = z.object({
  partner: z.string(),
  /** The delivery whose version this is: the newest of this partner's that carried the customer. */
  deliveryId: z.string(),
  /** receivedAt of that delivery. */
  receivedAt: z.string(),
  /** Set when the version was passed on by phone; absent for the partner's own files. */
  channel: Channel.optional(),
  /** Every delivery of this source that carried or confirmed the customer (retention). */
  deliveryIds: z.array(z.string()),
  party: Party,
  address: Address,
  phones: z.array(Phone),
  email: z.string().optional(),
  /**
   * Set on what a store of the earlier layout held as one record merged from several partners: which
   * of them said what is not known, so each is shown with the merged record until it delivers again.
   */
  merged: z.literal(true).optional(),
});
export type CustomerSource = z.infer<typeof CustomerSource>;

/**
 * A person or company resolved across deliveries and partners. `party`, `address`, `phones` and
 * `email` are what answers show, derived from the sources (domain/shown-attributes). `sources` is
 * absent when the customer has one source that these fields already say (one partner's files; also
 * every customer of a store written before sources were kept): see `sourcesOf`.
 */
export const Customer = z.object({
  customerId: z.string(),
  party: Party,
  address: Address,
  phones: z.array(Phone),
  email: z.string().optional(),
  partnerRefs: z.array(PartnerRef),
  /** Deterministic identity keys this customer is known by (see domain/identity). */
  matchKeys: z.array(z.string()),
  /** Lineage: every delivery that carried or confirmed this record (all sources). */
  deliveryIds: z.array(z.string()),
  /** receivedAt of the newest delivery that carried this customer. */
  updatedAt: z.string(),
  /** What each partner delivered, newest first; see above for when it is absent. */
  sources: z.array(CustomerSource).optional(),
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

/** A background job (reindex, purge, a person's erasure). */
export const Job = z.object({
  id: z.string(),
  type: z.enum(["reindex", "purge", "erasure"]),
  status: z.enum(["queued", "running", "completed", "failed"]),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string().optional(),
  /** A purge asked as a dry run: its receipt says what would go; nothing was deleted. */
  dryRun: z.boolean().optional(),
  /** What a purge deleted and how it was made unrecoverable (src/domain/erasure-receipt.ts). */
  receipt: ErasureReceipt.optional(),
  /**
   * An erasure's subject: the customer to erase (until it is done), the tombstone that replaces
   * their id in the audit log, and the privacy officer's reason.
   */
  erasure: z
    .object({ customerId: z.string().optional(), tombstone: z.string(), reason: z.string() })
    .optional(),
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
  /** The privacy officer's reason for an erasure, as they wrote it (a case number, not a name). */
  erasureReason: z.string().optional(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

import { z } from "zod";
import { assess } from "../domain/coverage/assess.ts";
import {
  CoverageSummary,
  CustomerDetail,
  coverageSummary,
  customerDetail,
} from "../domain/coverage/customer-detail.ts";
import { AssessmentResult, ReasonCode, Verdict } from "../domain/coverage/result.ts";
import { sourcesOf } from "../domain/customer-sources.ts";
import { AppError, invalid, notFound } from "../domain/errors.ts";
import { type Channel, IsoDate, LegalArea, type Policy, type Product } from "../domain/model.ts";
import { QuestionKind, ServiceAdvice } from "../domain/service-advice/advice.ts";
import { adviseService } from "../domain/service-advice/advise.ts";
import type { ReadOptions, Store } from "../store/store.ts";
import { createProductCatalogue, type ProductCatalogue } from "./product-catalogue.ts";

/**
 * Body of `POST /v1/coverage/assessments` (contract). Our additions: `callerIsPolicyholder` (default
 * true); false means the caller is someone at the insured address, covered only with household cover.
 * `questionKind` (default `claim`): an advice question or a claim, for the service advice.
 */
export const AssessmentInput = z
  .object({
    policyNumber: z.string().trim().min(1).max(40).optional(),
    customerId: z.string().trim().min(1).max(64).optional(),
    incidentDate: IsoDate,
    legalArea: z.string(),
    reportedDate: IsoDate.optional(),
    claimAmount: z.number().nonnegative().max(1e9).optional(),
    callerIsPolicyholder: z.boolean().optional(),
    questionKind: QuestionKind.optional(),
  })
  .strict();
export type AssessmentInput = z.infer<typeof AssessmentInput>;

/** Answer of `POST /v1/coverage/assessments`: the assessment and, beside the verdict, which service fits. */
export const AssessmentAnswer = AssessmentResult.extend({ serviceAdvice: ServiceAdvice });
export type AssessmentAnswer = z.infer<typeof AssessmentAnswer>;

/** What the intake bot may ask the summary about: one legal area, and the kind of question. */
export interface SummaryAsk {
  legalArea?: LegalArea | undefined;
  questionKind?: QuestionKind | undefined;
}

export type { LegalArea };
export { AssessmentResult, CoverageSummary, CustomerDetail, ReasonCode, Verdict };

/**
 * Coverage as the API sees it: the assessment at a claim notification, the customer detail with all
 * policies and their history, and the minimal summary the intake bot may see.
 */
export interface CoverageService {
  /** Throws AppError UNKNOWN_LEGAL_AREA / VALIDATION_FAILED (400) or NOT_FOUND (404). */
  assess(input: AssessmentInput): Promise<AssessmentAnswer>;
  /** The customer with all policies from all partners and their history; null when unknown. */
  customerDetail(customerId: string, options?: ReadOptions): Promise<CustomerDetail | null>;
  /**
   * Modules per policy, whether each is active today, and the service to expect per legal area (only
   * `ask.legalArea` when given) — nothing personal. Throws NOT_FOUND.
   */
  coverageSummary(customerId: string, ask?: SummaryAsk): Promise<CoverageSummary>;
}

/** Dependencies of the coverage service; `today` is fixed in tests, else the Amsterdam calendar date. */
export interface CoverageServiceOptions {
  store: Store;
  catalogue?: ProductCatalogue;
  today?: IsoDate | (() => IsoDate);
}

/** The coverage service on top of the store and the product catalogue. */
export function createCoverageService(options: CoverageServiceOptions): CoverageService {
  const { store } = options;
  const catalogue = options.catalogue ?? createProductCatalogue(store);
  const today = (): IsoDate =>
    typeof options.today === "string" ? options.today : (options.today ?? amsterdamToday)();
  const productMap = async (): Promise<Map<string, Product>> =>
    new Map((await catalogue.list()).map((p) => [p.code, p]));

  return {
    async assess(raw) {
      const input = parseInput(raw);
      const policies = await candidatePolicies(store, input);
      const result = assess({
        policies,
        products: await productMap(),
        incidentDate: input.incidentDate,
        legalArea: input.legalArea,
        reportedDate: input.reportedDate,
        claimAmount: input.claimAmount,
        callerIsPolicyholder: input.callerIsPolicyholder,
        today: today(),
      });
      const serviceAdvice = adviseService({
        verdict: result.verdict,
        reasons: result.reasons,
        partner: result.policy?.partner,
        legalArea: LegalArea.parse(input.legalArea),
        questionKind: input.questionKind ?? "claim",
      });
      return { ...result, serviceAdvice };
    },
    async customerDetail(customerId, options) {
      const customer = await store.getCustomer(customerId, options);
      if (!customer) return null;
      const policies = await store.policiesOfCustomers([customerId], options);
      // How each source's delivery reached us: a customer has a source or two.
      const channels = new Map<string, Channel>();
      for (const s of sourcesOf(customer)) {
        const delivery = s.channel ? null : await store.getDelivery(s.deliveryId);
        if (delivery) channels.set(s.deliveryId, delivery.channel);
      }
      return customerDetail(customer, policies, await productMap(), today(), channels);
    },
    async coverageSummary(customerId, ask = {}) {
      const customer = await store.getCustomer(customerId);
      if (!customer) throw notFound("customer");
      const policies = await store.policiesOfCustomers([customerId]);
      return coverageSummary(policies, await productMap(), today(), ask);
    },
  };
}

function parseInput(raw: unknown): AssessmentInput {
  const parsed = AssessmentInput.safeParse(raw);
  if (!parsed.success) {
    // The legal area has its own stable code, even when other fields are wrong as well.
    const area = (raw as { legalArea?: unknown } | null)?.legalArea;
    if (typeof area === "string" && !LegalArea.safeParse(area).success)
      throw new AppError("UNKNOWN_LEGAL_AREA", `Unknown legal area "${area}"`, {
        details: { legalArea: area, known: LegalArea.options },
      });
    throw invalid("The assessment request is not valid", {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  const input = parsed.data;
  if (input.policyNumber === undefined && input.customerId === undefined)
    throw invalid("Give a policyNumber or a customerId", {
      issues: [{ path: "policyNumber", message: "required" }],
    });
  return input;
}

/**
 * The policies to assess: those with the polisnummer (narrowed to the customer when both are given),
 * or all policies of the customer. One polisnummer held by different customers at different partners
 * is refused rather than guessed.
 */
async function candidatePolicies(store: Store, input: AssessmentInput): Promise<Policy[]> {
  if (input.policyNumber !== undefined) {
    let policies = await store.findPoliciesByNumber(input.policyNumber);
    if (input.customerId !== undefined) policies = policies.filter((p) => p.customerId === input.customerId);
    if (policies.length === 0) throw notFound("policy");
    if (new Set(policies.map((p) => p.customerId)).size > 1)
      throw invalid(
        "This polisnummer is held by different customers at different partners; add the customerId",
        {
          issues: [{ path: "customerId", message: "required to tell the policies apart" }],
        },
      );
    return policies;
  }
  const customerId = input.customerId!;
  const customer = await store.getCustomer(customerId);
  if (!customer) throw notFound("customer");
  return store.policiesOfCustomers([customerId]);
}

const AMSTERDAM = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Amsterdam",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Today's date on the Amsterdam calendar, `yyyy-mm-dd`. */
export function amsterdamToday(now: Date = new Date()): IsoDate {
  return AMSTERDAM.format(now);
}

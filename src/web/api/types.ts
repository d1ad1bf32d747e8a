/**
 * The API's shapes as the application sees them: inferred from the server's own zod schemas (types
 * only; nothing of zod reaches the bundle).
 */
import type { AppConfig, CustomerSources, PromiseEvent, PromiseReport } from "../../api/app-shapes.ts";
import type { CustomerDetail, DetailPolicy } from "../../domain/coverage/customer-detail.ts";
import type { AssessmentResult } from "../../domain/coverage/result.ts";
import type { LegalArea, Product } from "../../domain/model.ts";
import type {
  PolicySummary,
  SearchInput,
  SearchResponse,
  SearchResult,
} from "../../search/customer-search.ts";

export type {
  AppConfig,
  CustomerDetail,
  CustomerSources,
  DetailPolicy,
  LegalArea,
  Product,
  PromiseEvent,
  PromiseReport,
};

import type { ServiceAdvice } from "../../domain/service-advice/advice.ts";
import type { PhonePolicyRecorded } from "../../ingest/phone-intake.ts";
import type { PhonePolicyInput } from "../../ingest/phone-policy.ts";

/**
 * A policy in a result. `partnerName` is agreed with the partner registry and not in this service's
 * schema yet: the screens show `partnerName ?? partner`.
 */
export type ResultPolicy = PolicySummary & { partnerName?: string };

/** One result; under the agreed minimum-specificity rule only a few of its fields are present. */
export type Result = Omit<SearchResult, "policies"> & { policies: ResultPolicy[] };

/** The search and caller answer; `restricted` is the agreed minimum-specificity sign (not in the schema yet). */
export type SearchAnswer = Omit<SearchResponse, "results"> & { results: Result[]; restricted?: boolean };

/** The search body as the API parses it (limit has a default there). */
export type SearchBody = Partial<SearchInput>;

/** Kinds of service the advice names. */
export type ServiceAdviceType = ServiceAdvice["type"];

/** The assessment answer with the service advice beside the verdict. */
export type Assessment = AssessmentResult & { serviceAdvice?: ServiceAdvice };

/** A card policy, with the agreed partner name. */
export type CardPolicy = DetailPolicy & { partnerName?: string };

/** The customer card's answer. */
export type Customer = Omit<CustomerDetail, "policies"> & { policies: CardPolicy[] };

/** Body of `POST /v1/phone-policies`. */
export type PhonePolicyBody = PhonePolicyInput;

/** Answer of `POST /v1/phone-policies`. */
export type PhonePolicyCreated = PhonePolicyRecorded;

/** A registered partner as agents may list it (`GET /v1/partners`). */
export interface PartnerListItem {
  id: string;
  name: string;
  type?: string;
}

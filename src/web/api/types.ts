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

/** Given by phone: by which agent, when (agreed addition to result policies and card policies). */
export interface GivenByPhone {
  givenByPhone?: { by: string; at: string };
}

/** A policy in a result; `partnerName` comes with the partner registry. */
export type ResultPolicy = PolicySummary & GivenByPhone & { partnerName?: string };

/** One result; under the minimum-specificity rule only a few fields are present. */
export type Result = Omit<SearchResult, "policies"> & { policies: ResultPolicy[] };

/** The search and caller answer with the agreed additions `hasMore` and `restricted`. */
export type SearchAnswer = Omit<SearchResponse, "results"> & {
  results: Result[];
  hasMore?: boolean;
  restricted?: boolean;
};

/** The search body as the API parses it (limit has a default there). */
export type SearchBody = Partial<SearchInput>;

/** Service advice kinds (agreed addition to the assessment answer). */
export type ServiceAdviceType = "juridisch-advies" | "zaakbehandeling" | "mediation" | "doorverwijzing";

/** The assessment answer with the agreed `serviceAdvice`. */
export type Assessment = AssessmentResult & {
  serviceAdvice?: { type: ServiceAdviceType; reasons: Array<{ code: string; message: string }> };
};

/** A card policy, with the agreed phone marking and partner name. */
export type CardPolicy = DetailPolicy & GivenByPhone & { partnerName?: string };

/** The customer card's answer. */
export type Customer = Omit<CustomerDetail, "policies"> & { policies: CardPolicy[] };

/** Body of `POST /v1/phone-policies` (agreed shape; the route is added by the app backend). */
export interface PhonePolicyBody {
  partner: string;
  policyNumber: string;
  product: string;
  modules: string[];
  startDate: string;
  policyholder: {
    kind?: "P" | "Z";
    initials?: string;
    firstNames?: string;
    tussenvoegsel?: string;
    surname?: string;
    companyName?: string;
    birthDate?: string;
    street?: string;
    houseNumber?: string;
    houseNumberAddition?: string;
    postcode?: string;
    city?: string;
    phone?: string;
    email?: string;
  };
}

/** Answer of `POST /v1/phone-policies`. */
export interface PhonePolicyCreated {
  deliveryId: string;
  customerId: string;
  policyNumber: string;
}

/** A registered partner as agents may list it (`GET /v1/partners`). */
export interface PartnerListItem {
  id: string;
  name: string;
  type?: string;
}

import { z } from "zod";

/** Longest free-text query we accept; longer input is a 400, never a scan. */
export const MAX_QUERY_LENGTH = 200;

const field = (max = 100) => z.string().trim().min(1).max(max);

/** Body of `POST /v1/search` (contract): a free-text box and/or structured fields. */
export const SearchInput = z
  .object({
    q: field(MAX_QUERY_LENGTH).optional(),
    name: field().optional(),
    birthDate: field(20).optional(),
    postcode: field(20).optional(),
    houseNumber: field(20).optional(),
    street: field().optional(),
    city: field().optional(),
    phone: field(30).optional(),
    email: field(254).optional(),
    policyNumber: field(40).optional(),
    limit: z.number().int().min(1).max(50).default(10),
  })
  .strict();
export type SearchInput = z.infer<typeof SearchInput>;

/** How a field matched: the kinds of evidence the scorer explains results with. */
export const MatchKind = z.enum(["exact", "folded", "phonetic", "typo", "prefix", "partial"]);
export type MatchKind = z.infer<typeof MatchKind>;

/** Who recorded a policy version a partner passed on by phone (token subject), and when (ISO instant). */
export const GivenByPhoneView = z.object({ by: z.string(), at: z.string() });

/**
 * A policy as shown in a result list. Our addition: `givenByPhone` when its current version rests on
 * a policy passed on by phone.
 */
export const PolicySummary = z.object({
  policyNumber: z.string(),
  partner: z.string(),
  /** The partner's name from the registry (added by the API; absent for an unregistered id). */
  partnerName: z.string().optional(),
  product: z.string(),
  status: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  modules: z.array(z.string()),
  givenByPhone: GivenByPhoneView.optional(),
});
export type PolicySummary = z.infer<typeof PolicySummary>;

/** The customer as shown in a result list (display forms). */
export const CustomerView = z.object({
  kind: z.enum(["P", "Z"]),
  displayName: z.string(),
  initials: z.string().optional(),
  firstNames: z.string().optional(),
  tussenvoegsel: z.string().optional(),
  surname: z.string().optional(),
  companyName: z.string().optional(),
  birthDate: z.string().optional(),
  address: z.object({
    street: z.string().optional(),
    houseNumber: z.number().optional(),
    houseNumberAddition: z.string().optional(),
    postcode: z.string().optional(),
    city: z.string().optional(),
    country: z.string(),
  }),
  phones: z.array(z.string()),
  email: z.string().optional(),
});
export type CustomerView = z.infer<typeof CustomerView>;

/** One ranked customer. */
export const SearchResult = z.object({
  customerId: z.string(),
  score: z.number(),
  confidence: z.number().min(0).max(1),
  matches: z.array(z.object({ field: z.string(), kind: MatchKind })),
  customer: CustomerView,
  policies: z.array(PolicySummary),
});
export type SearchResult = z.infer<typeof SearchResult>;

/**
 * Answer of `POST /v1/search` and `POST /v1/callers`. Our addition: `hasMore`, true when more
 * customers matched than `results` holds (a longer `limit` or a sharper query would show them).
 */
export const SearchResponse = z.object({
  results: z.array(SearchResult),
  tookMs: z.number(),
  hasMore: z.boolean(),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

/** Customer recognition as the API sees it: ranked search and exact caller lookup. */
export interface CustomerSearch {
  search(input: SearchInput, options?: SearchCallOptions): Promise<SearchResponse>;
  /** Exact lookup by phone number in any common notation. */
  callers(phone: string, limit?: number, options?: SearchCallOptions): Promise<SearchResponse>;
}

/**
 * What may stop a search under way: an aborted `signal` (the request's time is up, or the search's
 * own deadline passed) ends it with the abort's reason, and the work beneath it stops where it can.
 */
export interface SearchCallOptions {
  signal?: CancelSignal;
}

/** The part of an AbortSignal a search looks at (a worker thread has its own, from a shared flag). */
export type CancelSignal = Pick<AbortSignal, "aborted" | "throwIfAborted">;

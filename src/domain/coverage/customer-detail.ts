import { z } from "zod";
import { sourcesOf } from "../customer-sources.ts";
import {
  Address,
  Channel,
  Customer,
  type CustomerSource,
  type GivenByPhone,
  IsoDate,
  LegalArea,
  Party,
  Phone,
  type Policy,
  PolicyStatus,
  type PolicyVersion,
  type Product,
} from "../model.ts";
import { type QuestionKind, ServiceType } from "../service-advice/advice.ts";
import { expectedServices } from "../service-advice/expected-services.ts";
import { conditionsInForce } from "./assess-policy.ts";
import { Conditions } from "./result.ts";
import { addMonthsClamped, isRunningOn, moduleSince, versionOn } from "./timeline.ts";

/** A module on a policy as the customer detail shows it. */
export const DetailModule = z.object({
  code: z.string(),
  /** False when the product catalogue does not know this module code. */
  known: z.boolean(),
  name: z.string().optional(),
  legalAreas: z.array(LegalArea),
  /** Since when the module has run without interruption; null when the policy does not run today. */
  since: IsoDate.nullable(),
  waitingPeriodMonths: z.number().int().optional(),
  /** First day after the waiting period, counted from `since`. */
  waitingPeriodEndsOn: IsoDate.optional(),
  minimumClaimAmount: z.number().optional(),
});

/** A clause on a policy with its text in plain language. */
export const DetailClause = z.object({
  code: z.string(),
  known: z.boolean(),
  text: z.string(),
  excludesLegalAreas: z.array(LegalArea),
});

/** Who recorded a version a partner passed on by phone (token subject), and when (ISO instant). */
export const GivenByPhoneDetail = z.object({ by: z.string(), at: z.string() });

/** One version of a policy in its timeline, with what changed against the version before. */
export const TimelineEntry = z.object({
  validFrom: IsoDate,
  validTo: IsoDate.optional(),
  status: PolicyStatus,
  startDate: IsoDate,
  endDate: IsoDate.optional(),
  product: z.string(),
  modules: z.array(z.string()),
  modulesAdded: z.array(z.string()),
  modulesRemoved: z.array(z.string()),
  clauseCodes: z.array(z.string()),
  clausesAdded: z.array(z.string()),
  clausesRemoved: z.array(z.string()),
  conditionsCode: z.string().optional(),
  household: z.boolean(),
  deliveryIds: z.array(z.string()),
  givenByPhone: GivenByPhoneDetail.optional(),
});

/** One policy in the customer detail: today's terms and the whole history. */
export const DetailPolicy = z.object({
  partner: z.string(),
  /** The partner's name from the registry (added by the API; absent for an unregistered id). */
  partnerName: z.string().optional(),
  policyNumber: z.string(),
  product: z.string(),
  productName: z.string().optional(),
  /** Status of the current version (the one valid today, else the nearest one). */
  status: PolicyStatus,
  activeToday: z.boolean(),
  startDate: IsoDate,
  endDate: IsoDate.optional(),
  household: z.boolean(),
  deductible: z.number().optional(),
  conditions: Conditions.nullable(),
  modules: z.array(DetailModule),
  clauses: z.array(DetailClause),
  timeline: z.array(TimelineEntry),
  /** Set when the current version rests on a policy passed on by phone. */
  givenByPhone: GivenByPhoneDetail.optional(),
});
export type DetailPolicy = z.infer<typeof DetailPolicy>;

/**
 * What one partner says about the customer (our addition to the contract): the version of its newest
 * delivery that carried them, and how that delivery reached us. `merged`: a record of the earlier
 * layout, one for several partners, shown with each until it delivers again.
 */
export const DetailSource = z.object({
  partner: z.string(),
  /** The partner's name from the registry (added by the API; absent for an unregistered id). */
  partnerName: z.string().optional(),
  deliveryId: z.string(),
  receivedAt: z.string(),
  channel: Channel.optional(),
  merged: z.literal(true).optional(),
  party: Party,
  address: Address,
  phones: z.array(Phone),
  email: z.string().optional(),
});
export type DetailSource = z.infer<typeof DetailSource>;

/**
 * Answer of `GET /v1/customers/{customerId}`: the customer (identity keys left out) with all policies
 * from all partners; `party`, `address`, `phones` and `email` as derived from `sources`, newest first.
 */
export const CustomerDetail = Customer.omit({ matchKeys: true, sources: true }).extend({
  sources: z.array(DetailSource),
  policies: z.array(DetailPolicy),
});
export type CustomerDetail = z.infer<typeof CustomerDetail>;

/** What the intake bot may see of a verified customer's cover: nothing personal. */
export const CoverageSummary = z.object({
  policies: z.array(
    z.object({
      partner: z.string(),
      product: z.string(),
      activeToday: z.boolean(),
      modules: z.array(z.object({ code: z.string(), legalAreas: z.array(LegalArea) })),
    }),
  ),
  /** Per legal area (or only the one asked), the service a question raised today can expect; no reasons. */
  services: z.array(z.object({ legalArea: LegalArea, type: ServiceType })),
});
export type CoverageSummary = z.infer<typeof CoverageSummary>;

/**
 * Builds the customer detail; policies running today first, then by partner and polisnummer.
 * `channels`: how each delivery reached us, for sources that do not say (their partner's files).
 */
export function customerDetail(
  customer: Customer,
  policies: readonly Policy[],
  products: ReadonlyMap<string, Product>,
  today: IsoDate,
  channels: ReadonlyMap<string, Channel> = new Map(),
): CustomerDetail {
  const { matchKeys: _internal, sources: _kept, ...visible } = customer;
  return {
    ...visible,
    sources: sourcesOf(customer).map((s) => detailSource(s, channels)),
    policies: sortPolicies(policies, today).map((p) => detailPolicy(p, products, today)),
  };
}

function detailSource(s: CustomerSource, channels: ReadonlyMap<string, Channel>): DetailSource {
  const channel = s.channel ?? channels.get(s.deliveryId);
  return {
    partner: s.partner,
    deliveryId: s.deliveryId,
    receivedAt: s.receivedAt,
    ...(channel ? { channel } : {}),
    ...(s.merged ? { merged: s.merged } : {}),
    party: s.party,
    address: s.address,
    phones: s.phones,
    ...(s.email === undefined ? {} : { email: s.email }),
  };
}

/**
 * Builds the intake bot's summary: per policy the partner, product, running today, modules and areas;
 * and the service to expect per legal area (a claim unless `ask` says otherwise).
 */
export function coverageSummary(
  policies: readonly Policy[],
  products: ReadonlyMap<string, Product>,
  today: IsoDate,
  ask: { legalArea?: LegalArea | undefined; questionKind?: QuestionKind | undefined } = {},
): CoverageSummary {
  return {
    policies: sortPolicies(policies, today).map((p) => {
      const v = currentVersion(p, today);
      const product = products.get(v.product);
      return {
        partner: p.partner,
        product: v.product,
        activeToday: isRunningOn(v, today),
        modules: v.modules.map((code) => ({
          code,
          legalAreas: product?.modules.find((m) => m.code === code)?.legalAreas ?? [],
        })),
      };
    }),
    services: expectedServices(policies, products, today, ask),
  };
}

function detailPolicy(policy: Policy, products: ReadonlyMap<string, Product>, today: IsoDate): DetailPolicy {
  const v = currentVersion(policy, today);
  const product = products.get(v.product);
  const activeToday = isRunningOn(v, today);
  return {
    partner: policy.partner,
    policyNumber: policy.policyNumber,
    product: v.product,
    ...(product ? { productName: product.name } : {}),
    status: v.status,
    activeToday,
    startDate: v.startDate,
    ...(v.endDate ? { endDate: v.endDate } : {}),
    household: v.household,
    ...(v.deductible !== undefined ? { deductible: v.deductible } : {}),
    conditions: product ? conditionsInForce(product, v.conditionsCode, today) : null,
    modules: v.modules.map((code) => {
      const m = product?.modules.find((x) => x.code === code);
      const since = activeToday ? moduleSince(policy, code, today) : null;
      if (!m) return { code, known: false, legalAreas: [], since };
      return {
        code,
        known: true,
        name: m.name,
        legalAreas: m.legalAreas,
        since,
        waitingPeriodMonths: m.waitingPeriodMonths,
        ...(since ? { waitingPeriodEndsOn: addMonthsClamped(since, m.waitingPeriodMonths) } : {}),
        ...(m.minimumClaimAmount !== undefined ? { minimumClaimAmount: m.minimumClaimAmount } : {}),
      };
    }),
    clauses: v.clauseCodes.map((code) => {
      const c = product?.clauses.find((x) => x.code === code);
      return c
        ? { code, known: true, text: c.text, excludesLegalAreas: c.excludesLegalAreas }
        : {
            code,
            known: false,
            text: `Clausule ${code} staat niet in de productcatalogus.`,
            excludesLegalAreas: [],
          };
    }),
    timeline: timeline(policy),
    ...(v.givenByPhone ? { givenByPhone: phoneView(v.givenByPhone) } : {}),
  };
}

/** The phone marking as shown: who and when (the delivery is in the timeline's lineage). */
function phoneView({ by, at }: GivenByPhone): z.infer<typeof GivenByPhoneDetail> {
  return { by, at };
}

function timeline(policy: Policy): z.infer<typeof TimelineEntry>[] {
  const versions = [...policy.versions].sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
  return versions.map((v, i) => {
    const prev = versions[i - 1];
    return {
      validFrom: v.validFrom,
      ...(v.validTo ? { validTo: v.validTo } : {}),
      status: v.status,
      startDate: v.startDate,
      ...(v.endDate ? { endDate: v.endDate } : {}),
      product: v.product,
      modules: v.modules,
      modulesAdded: v.modules.filter((m) => !prev?.modules.includes(m)),
      modulesRemoved: prev ? prev.modules.filter((m) => !v.modules.includes(m)) : [],
      clauseCodes: v.clauseCodes,
      clausesAdded: v.clauseCodes.filter((c) => !prev?.clauseCodes.includes(c)),
      clausesRemoved: prev ? prev.clauseCodes.filter((c) => !v.clauseCodes.includes(c)) : [],
      ...(v.conditionsCode ? { conditionsCode: v.conditionsCode } : {}),
      household: v.household,
      deliveryIds: v.deliveryIds,
      ...(v.givenByPhone ? { givenByPhone: phoneView(v.givenByPhone) } : {}),
    };
  });
}

/** The version valid today; before the history starts the first one, after it ends the last one. */
function currentVersion(policy: Policy, today: IsoDate): PolicyVersion {
  const found = versionOn(policy, today);
  if (found) return found;
  const sorted = [...policy.versions].sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
  return today < sorted[0]!.validFrom ? sorted[0]! : sorted[sorted.length - 1]!;
}

function sortPolicies(policies: readonly Policy[], today: IsoDate): Policy[] {
  const running = (p: Policy) => (isRunningOn(currentVersion(p, today), today) ? 0 : 1);
  return [...policies].sort(
    (a, b) =>
      running(a) - running(b) ||
      a.partner.localeCompare(b.partner, "en") ||
      a.policyNumber.localeCompare(b.policyNumber, "en"),
  );
}

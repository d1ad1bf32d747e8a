/**
 * Policy history as pure functions: every delivered row becomes (or confirms) a version valid from
 * its mutatiedatum; earlier versions are closed, never overwritten; each version knows the
 * deliveries that carried it (lineage), so retention can remove a delivery's share later.
 */
import type { GivenByPhone, IsoDate, Policy, PolicyTerms, PolicyVersion } from "./model.ts";

/** What one accepted row says about one policy, and where it came from. */
export interface PolicyFacts {
  partner: string;
  policyNumber: string;
  customerId: string;
  terms: PolicyTerms;
  /** Mutatiedatum from the row, when given. */
  effectiveDate?: IsoDate;
  deliveryId: string;
  /** The delivery's receipt date (Europe/Amsterdam calendar). */
  deliveryDate: IsoDate;
  /** Set when the delivery is a policy passed on by phone (channel `phone`). */
  givenByPhone?: GivenByPhone | undefined;
}

const AMSTERDAM = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Amsterdam",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The Europe/Amsterdam calendar date of an instant: `2026-03-31T22:30:00Z` → `2026-04-01`. */
export function amsterdamDate(instant: string | Date): IsoDate {
  return AMSTERDAM.format(typeof instant === "string" ? new Date(instant) : instant);
}

const sorted = (xs: readonly string[]) => [...xs].sort().join("\u0000");

/** Do two statements of a policy say the same thing (module and clause order aside)? */
export function sameTerms(a: PolicyTerms, b: PolicyTerms): boolean {
  return (
    a.product === b.product &&
    sorted(a.modules) === sorted(b.modules) &&
    a.startDate === b.startDate &&
    a.endDate === b.endDate &&
    a.status === b.status &&
    a.conditionsCode === b.conditionsCode &&
    sorted(a.clauseCodes) === sorted(b.clauseCodes) &&
    a.deductible === b.deductible &&
    a.household === b.household
  );
}

const termsOf = (v: PolicyVersion): PolicyTerms => {
  const { validFrom: _f, validTo: _t, deliveryIds: _d, givenByPhone: _p, ...terms } = v;
  return terms;
};

const withDelivery = (ids: readonly string[], id: string) => (ids.includes(id) ? [...ids] : [...ids, id]);

/** A new version as a delivery states it, marked when it was passed on by phone. */
const newVersion = (
  terms: PolicyTerms,
  validFrom: IsoDate,
  deliveryId: string,
  phone: GivenByPhone | undefined,
): PolicyVersion =>
  phone
    ? { ...terms, validFrom, deliveryIds: [deliveryId], givenByPhone: phone }
    : { ...terms, validFrom, deliveryIds: [deliveryId] };

/**
 * A version confirmed by another delivery: a partner's own delivery (any other channel) takes away
 * the phone marking; a phone delivery leaves the version as it was.
 */
function confirmed(v: PolicyVersion, deliveryId: string, phone: GivenByPhone | undefined): PolicyVersion {
  const deliveryIds = withDelivery(v.deliveryIds, deliveryId);
  if (phone || !v.givenByPhone) return { ...v, deliveryIds };
  const { givenByPhone: _p, ...rest } = v;
  return { ...rest, deliveryIds };
}

/** Orders versions and makes each one end where the next begins; the last stays open. */
function relink(versions: PolicyVersion[]): PolicyVersion[] {
  const ordered = [...versions].sort((a, b) =>
    a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0,
  );
  return ordered.map((v, i) => {
    const { validTo: _old, ...rest } = v;
    const next = ordered[i + 1];
    return next ? { ...rest, validTo: next.validFrom } : rest;
  });
}

function lineage(versions: readonly PolicyVersion[]): string[] {
  return [...new Set(versions.flatMap((v) => v.deliveryIds))];
}

/** The version in effect on `date`, if any. */
export function versionAt(policy: Policy, date: IsoDate): PolicyVersion | undefined {
  return policy.versions.find((v) => v.validFrom <= date && (v.validTo === undefined || date < v.validTo));
}

/** States `terms` from `validFrom`: confirms the version in effect when it says the same, else adds one. */
function state(
  versions: readonly PolicyVersion[],
  terms: PolicyTerms,
  validFrom: IsoDate,
  deliveryId: string,
  phone?: GivenByPhone,
) {
  const exact = versions.findIndex((v) => v.validFrom === validFrom);
  if (exact >= 0) {
    const v = versions[exact]!;
    // A different statement about the same day is a correction: the newer delivery's word stands.
    const replaced = sameTerms(termsOf(v), terms)
      ? confirmed(v, deliveryId, phone)
      : newVersion(terms, validFrom, deliveryId, phone);
    return relink(versions.map((x, i) => (i === exact ? replaced : x)));
  }
  const before = versions.filter((v) => v.validFrom < validFrom).at(-1);
  if (before && sameTerms(termsOf(before), terms)) {
    return relink(versions.map((v) => (v === before ? confirmed(v, deliveryId, phone) : v)));
  }
  return relink([...versions, newVersion(terms, validFrom, deliveryId, phone)]);
}

/**
 * Applies one delivered row to a policy (null: not known yet). The version takes effect on the row's
 * mutatiedatum; without one, on the policy's ingangsdatum for a new policy, else on the delivery date.
 */
export function applyRow(policy: Policy | null, facts: PolicyFacts): Policy {
  const validFrom = facts.effectiveDate ?? (policy ? facts.deliveryDate : facts.terms.startDate);
  if (!policy) {
    // A new policy (most rows of a first delivery): its one version, as `state` would make it.
    return {
      partner: facts.partner,
      policyNumber: facts.policyNumber,
      customerId: facts.customerId,
      versions: [newVersion(facts.terms, validFrom, facts.deliveryId, facts.givenByPhone)],
      deliveryIds: [facts.deliveryId],
    };
  }
  const versions = state(policy.versions, facts.terms, validFrom, facts.deliveryId, facts.givenByPhone);
  return {
    partner: facts.partner,
    policyNumber: facts.policyNumber,
    customerId: facts.customerId,
    versions,
    deliveryIds: lineage(versions),
  };
}

/**
 * Ends a policy that a full delivery (dated `date`) no longer contains: a new version, geroyeerd
 * (cancelled) with einddatum `date`. A policy already cancelled by then is left as it is.
 */
export function endPolicy(policy: Policy, date: IsoDate, deliveryId: string): Policy {
  const current = versionAt(policy, date) ?? policy.versions.at(-1)!;
  if (current.status === "geroyeerd") return policy;
  const endDate = current.endDate && current.endDate < date ? current.endDate : date;
  const versions = state(
    policy.versions,
    { ...termsOf(current), status: "geroyeerd", endDate },
    date,
    deliveryId,
  );
  return { ...policy, versions, deliveryIds: lineage(versions) };
}

/**
 * Takes a deleted delivery out of a policy's history (retention): versions only it carried go, the
 * rest close up. Null when nothing of the policy is left.
 */
export function removeDelivery(policy: Policy, deliveryId: string): Policy | null {
  const kept = policy.versions
    .map((v) => {
      const deliveryIds = v.deliveryIds.filter((d) => d !== deliveryId);
      if (v.givenByPhone?.deliveryId !== deliveryId) return { ...v, deliveryIds };
      // The phone delivery that marked it is gone: what is left of the version came another way.
      const { givenByPhone: _p, ...rest } = v;
      return { ...rest, deliveryIds };
    })
    .filter((v) => v.deliveryIds.length > 0);
  if (kept.length === 0) return null;
  const versions = relink(kept);
  return { ...policy, versions, deliveryIds: lineage(versions) };
}

import { emailsOf } from "../domain/customer-sources.ts";
import type { Customer, Policy, PolicyVersion } from "../domain/model.ts";
import {
  expandTussenvoegsel,
  initialsFromFirstNames,
  isTussenvoegsel,
  normaliseInitials,
  splitSurname,
} from "../domain/normalise/name.ts";
import { normaliseDutchPostcode, postcodeArea } from "../domain/normalise/postcode.ts";
import { fold, foldedWords, squash } from "../domain/normalise/text.ts";
import { dutchPhonetic } from "../domain/phonetic.ts";
import { boundedMemo } from "../search/bounded-memo.ts";
import type { CustomerView, PolicySummary } from "../search/customer-search.ts";
import type { CustomerDoc } from "../search/search-engine.ts";

const unique = (xs: Iterable<string>) => [...new Set(xs)].filter((x) => x.length > 0);
/**
 * Drops keys whose value is undefined, so a document survives a JSON round trip unchanged. Copies
 * rather than deletes: `delete` turns an object into a slow dictionary, and every engine reads each
 * document's fields again while indexing it.
 */
function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}
// Names, streets and cities repeat across customers far more than they differ, and folding and
// phonetic coding cost ~20 µs a customer; each distinct text is worked out once.
const phoneticOf = boundedMemo(dutchPhonetic);
// Shared results: callers copy (filter, unique) and never change them.
const wordsOf = boundedMemo((text: string): readonly string[] => foldedWords(text));
const foldedText = boundedMemo((text: string) => squash(fold(text)));
const initialLetters = boundedMemo((text: string) => fold(text).replace(/[^a-z]/g, ""));
const folded = (s: string | undefined) => (s === undefined ? undefined : foldedText(s) || undefined);

/** The version of a policy in force on `today`, or its last version when none is (ended, future). */
export function currentVersion(policy: Policy, today: string): PolicyVersion {
  const valid = policy.versions.find(
    (v) => v.validFrom <= today && (v.validTo === undefined || today < v.validTo),
  );
  return valid ?? policy.versions.at(-1)!;
}

/** A policy as a result line shows it, from its current version. */
export function toPolicySummary(policy: Policy, today: string): PolicySummary {
  const v = currentVersion(policy, today);
  const summary: PolicySummary = {
    policyNumber: policy.policyNumber,
    partner: policy.partner,
    product: v.product,
    status: v.status,
    startDate: v.startDate,
    endDate: v.endDate ?? null,
    modules: v.modules,
  };
  if (v.givenByPhone) summary.givenByPhone = { by: v.givenByPhone.by, at: v.givenByPhone.at };
  return summary;
}

/** A policy number as engines index it: upper case, letters and digits only (`RB-2024/0012` → `RB20240012`). */
export function policyNumberKey(policyNumber: string): string {
  return fold(policyNumber)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "");
}

/** Tussenvoegsel and surname of a party, also when a partner left the tussenvoegsel in the surname. */
function nameParts(customer: Pick<Customer, "party">): { tussenvoegsel?: string; surname?: string } {
  const { surname, tussenvoegsel } = customer.party;
  if (!surname) return tussenvoegsel ? { tussenvoegsel: expandTussenvoegsel(tussenvoegsel) } : {};
  if (tussenvoegsel) return { tussenvoegsel: expandTussenvoegsel(tussenvoegsel), surname: squash(surname) };
  const split = splitSurname(surname);
  return split.tussenvoegsel ? split : { surname: split.surname };
}

/** The display name of a result: `J.P. van der Berg` for a person, the company name for a company. */
export function displayName(customer: Pick<Customer, "customerId" | "party">): string {
  const p = customer.party;
  if (p.kind === "Z" && p.companyName) return squash(p.companyName);
  const { tussenvoegsel, surname } = nameParts(customer);
  const initials = p.initials ? normaliseInitials(p.initials) : initialsFromFirstNames(p.firstNames ?? "");
  const name = [initials, tussenvoegsel, surname].filter(Boolean).join(" ");
  return name || squash(p.companyName ?? "") || customer.customerId;
}

function toView(customer: Customer): CustomerView {
  const p = customer.party;
  const a = customer.address;
  const { tussenvoegsel, surname } = nameParts(customer);
  return compact({
    kind: p.kind,
    displayName: displayName(customer),
    initials: p.initials,
    firstNames: p.firstNames,
    tussenvoegsel,
    surname,
    companyName: p.companyName,
    birthDate: p.birthDate,
    address: compact({
      street: a.street,
      houseNumber: a.houseNumber,
      houseNumberAddition: a.houseNumberAddition,
      postcode: a.postcode,
      city: a.city,
      country: a.country,
    }),
    phones: customer.phones.map((ph) => ph.e164 ?? ph.raw),
    email: customer.email,
  });
}

/**
 * Builds the search projection of one customer with their policies (all partners): matching keys
 * folded, split and phonetically coded here, once, so every engine indexes the same values.
 */
export function toCustomerDoc(customer: Customer, policies: readonly Policy[], today: string): CustomerDoc {
  const p = customer.party;
  const a = customer.address;
  const { tussenvoegsel, surname } = nameParts(customer);
  const surnameParts = surname ? wordsOf(surname).filter((w) => !isTussenvoegsel(w)) : [];
  const firstNames = unique(wordsOf(p.firstNames ?? ""));
  const companyWords = unique(wordsOf(p.companyName ?? ""));
  const initialsText = p.initials
    ? normaliseInitials(p.initials)
    : initialsFromFirstNames(p.firstNames ?? "");
  const initials = initialsText ? initialLetters(initialsText) || undefined : undefined;
  const nl = a.country === "NL";
  const postcode = a.postcode
    ? ((nl ? normaliseDutchPostcode(a.postcode) : null) ?? folded(a.postcode))
    : undefined;
  const own = [...policies]
    .filter((x) => x.customerId === customer.customerId)
    .sort((x, y) => x.partner.localeCompare(y.partner) || x.policyNumber.localeCompare(y.policyNumber));
  const doc: CustomerDoc = {
    customerId: customer.customerId,
    kind: p.kind,
    surname: folded(surname),
    surnameParts: unique(surnameParts),
    tussenvoegsel: folded(tussenvoegsel),
    firstNames,
    initials,
    companyWords,
    phonetic: unique([...surnameParts, ...firstNames, ...companyWords].map(phoneticOf)),
    birthDate: p.birthDate,
    postcode,
    postcodeArea: postcode && nl && /^\d{4} [A-Z]{2}$/.test(postcode) ? postcodeArea(postcode) : undefined,
    houseNumber: a.houseNumber ? `${a.houseNumber}${a.houseNumberAddition ?? ""}` : undefined,
    houseNumberBase: a.houseNumber ? String(a.houseNumber) : undefined,
    street: unique(wordsOf(a.street ?? "")),
    city: folded(a.city),
    phones: unique(customer.phones.map((ph) => ph.e164 ?? ph.raw.replace(/\D/g, ""))),
    email: emailKeys(customer),
    policyNumbers: unique(own.map((x) => policyNumberKey(x.policyNumber))),
    partners: unique([...customer.partnerRefs.map((r) => r.partner), ...own.map((x) => x.partner)]).sort(),
    view: toView(customer),
    policies: own.map((x) => toPolicySummary(x, today)),
  };
  return compact(doc);
}

/** The customer's e-mail addresses as indexed: one string, or a list when sources state several. */
function emailKeys(customer: Customer): string | string[] | undefined {
  if (!customer.sources) return customer.email ? customer.email.trim().toLowerCase() : undefined;
  const all = unique(emailsOf(customer).map((e) => e.trim().toLowerCase()));
  return all.length > 1 ? all : all[0];
}

/** Deep equality of JSON-like values, a key holding `undefined` counting as absent; `skip` is ignored at every level. */
function same(a: unknown, b: unknown, skip?: string): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i], skip)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (x[k] === undefined || k === skip) continue;
    if (!same(x[k], y[k], skip)) return false;
    n++;
  }
  for (const k in y) if (y[k] !== undefined && k !== skip) n--;
  return n === 0;
}

/**
 * Can the search document of a customer made now differ from the one made of `before` (the customer
 * and the policies they held then, projected on `since` or later)? Only what toCustomerDoc reads
 * counts: the party, address, phones, e-mail (of every source) and partner references, and each held
 * policy's number, partner and versions — not lineage. A policy with a version starting after `since` may have another
 * current version by now, so it counts as a change (a delivery that confirms such a customer keeps
 * its search document as up to date as one that changed it).
 */
export function projectionMayDiffer(
  before: { customer: Customer; policies: readonly Policy[] },
  after: { customer: Customer; policies: readonly Policy[] },
  since: string,
): boolean {
  const b = before.customer;
  const a = after.customer;
  if (
    !same(a.party, b.party) ||
    !same(a.address, b.address) ||
    !same(a.phones, b.phones) ||
    a.email !== b.email ||
    ((a.sources !== undefined || b.sources !== undefined) && !same(emailKeys(a), emailKeys(b))) ||
    !same(a.partnerRefs, b.partnerRefs)
  )
    return true;
  // Pairwise, without building maps: a customer holds one or two policies (this runs for every
  // customer a delivery confirms).
  let was = 0;
  for (const p of before.policies) if (p.customerId === b.customerId) was++;
  let is = 0;
  for (const p of after.policies) {
    if (p.customerId !== a.customerId) continue;
    is++;
    const old = before.policies.find(
      (q) => q.customerId === b.customerId && q.policyNumber === p.policyNumber && q.partner === p.partner,
    );
    if (!old || !same(old.versions, p.versions, "deliveryIds")) return true;
    if (p.versions.some((v) => v.validFrom > since)) return true;
  }
  return was !== is;
}

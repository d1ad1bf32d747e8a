/**
 * What a customer's answers show when several partners deliver the same person (the rule written out
 * in docs/architecture.md, "Customer data from several partners"):
 * - per attribute, the newest source that states it: a source that lacks a value (first names, a
 *   birth date, an e-mail) never erases another's;
 * - the surname with its tussenvoegsel, and the address, each as a whole from the newest source that
 *   states one: parts of two addresses are never mixed into a third (a street or city it lacks is
 *   taken from a source that gives the same postcode, house number and addition);
 * - every phone number of every source, the newest source's first: each is the customer's, for the
 *   caller lookup and for verification alike.
 * "Newest" is the source whose delivery was received last (see `newestFirst`).
 */
import type { Address, CustomerSource, Party, Phone } from "./model.ts";

/** The attributes answers show. */
export interface ShownAttributes {
  party: Party;
  address: Address;
  phones: Phone[];
  email?: string;
}

/** Orders sources newest first: by their delivery's receivedAt, then delivery id, then partner. */
export function newestFirst(a: CustomerSource, b: CustomerSource): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt > b.receivedAt ? -1 : 1;
  if (a.deliveryId !== b.deliveryId) return a.deliveryId > b.deliveryId ? -1 : 1;
  return a.partner < b.partner ? -1 : a.partner > b.partner ? 1 : 0;
}

/** Party attributes taken one by one, after the names (which keep the schema's key order). */
const OTHER_PARTY_ATTRIBUTES = ["companyName", "kvk", "birthDate", "gender"] as const;

/** A phone's identity: the same number in two notations is one number. */
export const phoneKey = (p: Phone): string => p.e164 ?? p.raw.replace(/\D/g, "");

const hasAddress = (a: Address) =>
  a.street !== undefined || a.houseNumber !== undefined || a.postcode !== undefined || a.city !== undefined;

const postcodeKey = (p: string | undefined) => p?.replace(/\s+/g, "").toUpperCase();

/** One address in two sources: the same postcode, house number and addition. */
function sameAddress(a: Address, b: Address): boolean {
  return (
    a.postcode !== undefined &&
    a.houseNumber !== undefined &&
    a.country === b.country &&
    postcodeKey(a.postcode) === postcodeKey(b.postcode) &&
    a.houseNumber === b.houseNumber &&
    (a.houseNumberAddition ?? "") === (b.houseNumberAddition ?? "")
  );
}

/** The shown address with the street and city another source gives for that same address. */
function completed(address: Address, sorted: readonly CustomerSource[]): Address {
  if (address.street !== undefined && address.city !== undefined) return address;
  const same = sorted.filter((s) => s.address !== address && sameAddress(address, s.address));
  const street = address.street ?? same.find((s) => s.address.street !== undefined)?.address.street;
  const city = address.city ?? same.find((s) => s.address.city !== undefined)?.address.city;
  if (street === address.street && city === address.city) return address;
  const out: Address = { ...address };
  if (street !== undefined) out.street = street;
  if (city !== undefined) out.city = city;
  return out;
}

/** Derives the shown attributes from a customer's sources (any order; one source shows itself). */
export function shownAttributes(sources: readonly CustomerSource[]): ShownAttributes {
  if (sources.length === 0) throw new TypeError("a customer has at least one source");
  if (sources.length === 1) {
    const [only] = sources as [CustomerSource];
    return only.email === undefined
      ? { party: only.party, address: only.address, phones: only.phones }
      : { party: only.party, address: only.address, phones: only.phones, email: only.email };
  }
  const sorted = [...sources].sort(newestFirst);
  const newest = sorted[0]!;
  const named = sorted.find((s) => s.party.surname !== undefined);
  const party: Party = { kind: newest.party.kind };
  const first = <K extends keyof Party>(k: K): Party[K] | undefined =>
    sorted.find((s) => s.party[k] !== undefined)?.party[k];
  // In the schema's key order, and only keys with a value (documents round-trip through JSON).
  const initials = first("initials");
  if (initials !== undefined) party.initials = initials;
  const firstNames = first("firstNames");
  if (firstNames !== undefined) party.firstNames = firstNames;
  const tussenvoegsel = named ? named.party.tussenvoegsel : first("tussenvoegsel");
  if (tussenvoegsel !== undefined) party.tussenvoegsel = tussenvoegsel;
  if (named) party.surname = named.party.surname;
  for (const k of OTHER_PARTY_ATTRIBUTES) {
    const v = first(k);
    if (v !== undefined) (party as Record<string, unknown>)[k] = v;
  }
  const address = completed((sorted.find((s) => hasAddress(s.address)) ?? newest).address, sorted);
  const seen = new Set<string>();
  const phones: Phone[] = [];
  for (const s of sorted)
    for (const p of s.phones) {
      const key = phoneKey(p);
      if (seen.has(key)) continue;
      seen.add(key);
      phones.push(p);
    }
  const email = sorted.find((s) => s.email !== undefined)?.email;
  return email === undefined ? { party, address, phones } : { party, address, phones, email };
}

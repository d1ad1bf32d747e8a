/**
 * One customer across partners: deterministic, conservative identity keys.
 *
 * A delivered row resolves to an existing customer when it shares one of these keys with it — and
 * the two do not contradict each other (see `partiesConflict`). Anything less certain stays a
 * separate customer: search shows both, a human decides. Wrongly merging two people (and showing one
 * person's policies to the other) is far worse than showing one person twice.
 *
 * Keys (all parts folded: lower case, diacritics and punctuation removed):
 * - `R|partner|relatienummer` — the partner's own customer number. A partner that gives two rows the
 *   same relatienummer tells us they are one customer.
 * - `P|surname|firstInitial|birthDate|postcode|houseNumber+addition` — persons. Surname without its
 *   tussenvoegsel (`van den Berg` and `Berg, van den` and `v.d. Berg` agree). Needs all five parts; no
 *   key without a birth date or without an address (street-level foreign addresses have none).
 *   - Father and son with the same initials at one address differ in birth date.
 *   - Twins differ in first initial, or (same initial) in first name or full initials: the veto.
 *     `J.` and `J.P.` count as different: a twin delivered by one initial is indistinguishable
 *     from their sibling's short form.
 *   - Twins identical in every delivered field are kept apart when one partner gave them two
 *     relatienummers (`partnerRefsConflict`); delivered by two partners by initials only, they
 *     cannot be told apart and will merge — the one case these rules knowingly get wrong.
 *   - Phone numbers are never part of a key: a household shares its landline.
 *   - Deliberately no key without an address (name + birth date alone): common names share birth
 *     dates often enough in a population of 17 million to merge strangers.
 * - `Z|kvk|12345678` — companies by Chamber of Commerce number.
 * - `Z|name|companyName|postcode` — companies by folded name (legal form `B.V.`, `V.O.F.`… dropped)
 *   at one postcode, when no KvK number says otherwise.
 */
import type { CanonicalRow, Customer, Party } from "./model.ts";
import { splitSurname } from "./normalise/name.ts";
import { fold } from "./normalise/text.ts";

const LEGAL_FORMS = new Set([
  "bv",
  "nv",
  "vof",
  "cv",
  "bvba",
  "holding",
  "stichting",
  "vereniging",
  "ltd",
  "gmbh",
]);

/** Letters and digits only, folded. */
const compact = (s: string) => fold(s).replace(/[^\p{L}\p{N}]+/gu, "");

/** Folded surname without tussenvoegsel: `van den Berg` → `berg`, `Jansen-de Vries` → `jansendevries`. */
export function surnameKey(party: Pick<Party, "surname" | "tussenvoegsel">): string | undefined {
  if (!party.surname) return undefined;
  const bare = party.tussenvoegsel ? party.surname : splitSurname(party.surname).surname;
  const k = compact(bare);
  return k.length > 0 ? k : undefined;
}

/** Initials as folded letters (`J.P.` → `jp`); derived from first names when no initials were given. */
export function initialLetters(party: Pick<Party, "initials" | "firstNames">): string | undefined {
  const source = party.initials
    ? party.initials.split(/[.\s]+/).filter(Boolean)
    : (party.firstNames ?? "").split(/[\s-]+/).filter(Boolean);
  const letters = source.map((w) => compact(w)[0] ?? "").join("");
  return letters.length > 0 ? letters : undefined;
}

/** The folded first given name (`Jan Pieter` → `jan`), when first names are known. */
export function firstGivenName(party: Pick<Party, "firstNames">): string | undefined {
  const first = (party.firstNames ?? "").split(/[\s-]+/).find(Boolean);
  return first ? compact(first) || undefined : undefined;
}

/** Folded company name without legal form: `Bakkerij de Vries B.V.` → `bakkerijdevries`. */
export function companyNameKey(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const words = fold(name)
    .replace(/\b([a-z])\.(?=[a-z]\.)/g, "$1") // b.v. → bv.
    .replace(/\./g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !LEGAL_FORMS.has(w));
  const k = words.join("");
  return k.length > 0 ? k : undefined;
}

/** The identity keys of a delivered row or a stored customer (see the file header for the rules). */
export function matchKeys(subject: CanonicalRow | Customer): string[] {
  const keys: string[] = [];
  const refs =
    "partnerRefs" in subject
      ? subject.partnerRefs
      : [{ partner: subject.partner, partnerCustomerNumber: subject.partnerCustomerNumber }];
  for (const ref of refs) {
    const number = ref.partnerCustomerNumber?.trim();
    if (number) keys.push(`R|${ref.partner}|${number.toUpperCase()}`);
  }
  const { party, address } = subject;
  const postcode = address.postcode ? compact(address.postcode) : undefined;
  if (party.kind === "P") {
    const surname = surnameKey(party);
    const initial = initialLetters(party)?.[0];
    if (surname && initial && party.birthDate && postcode && address.houseNumber) {
      const house = `${address.houseNumber}${address.houseNumberAddition ? compact(address.houseNumberAddition) : ""}`;
      keys.push(`P|${surname}|${initial}|${party.birthDate}|${postcode}|${house}`);
    }
  } else {
    const kvk = party.kvk?.replace(/\D/g, "");
    if (kvk) keys.push(`Z|kvk|${kvk}`);
    const name = companyNameKey(party.companyName);
    if (name && postcode) keys.push(`Z|name|${name}|${postcode}`);
  }
  return keys;
}

/**
 * The veto: two parties that share a key but visibly differ are different customers. Only what both
 * sides state counts; a missing value never conflicts.
 */
export function partiesConflict(a: Party, b: Party): boolean {
  if (a.kind !== b.kind) return true;
  const both = <T>(x: T | undefined, y: T | undefined): x is T => x !== undefined && y !== undefined;
  if (both(a.birthDate, b.birthDate) && a.birthDate !== b.birthDate) return true;
  if (both(a.gender, b.gender) && a.gender !== b.gender && a.gender !== "X" && b.gender !== "X") return true;
  if (a.kind === "Z") {
    const ka = a.kvk?.replace(/\D/g, "");
    const kb = b.kvk?.replace(/\D/g, "");
    return Boolean(ka && kb && ka !== kb);
  }
  const sa = surnameKey(a);
  const sb = surnameKey(b);
  if (both(sa, sb) && sa !== sb) return true;
  const fa = firstGivenName(a);
  const fb = firstGivenName(b);
  if (both(fa, fb) && fa !== fb) return true;
  // `J.` and `J.P.` may be one person written shorter — or twins Jan and Joost Pieter, one of them
  // delivered by initials only. We cannot tell, so we do not merge.
  const ia = initialLetters(a);
  const ib = initialLetters(b);
  return ia !== undefined && ib !== undefined && ia !== ib;
}

/**
 * The partner's own word: a partner that gives two rows different relatienummers says they are two
 * customers (twins with identical initials, birth date and address are told apart only this way).
 */
export function partnerRefsConflict(customer: Pick<Customer, "partnerRefs">, row: CanonicalRow): boolean {
  const number = row.partnerCustomerNumber?.trim().toUpperCase();
  if (!number) return false;
  return customer.partnerRefs.some(
    (r) =>
      r.partner === row.partner &&
      r.partnerCustomerNumber !== undefined &&
      r.partnerCustomerNumber.trim().toUpperCase() !== number,
  );
}

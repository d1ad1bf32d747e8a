import type { Customer, Policy } from "../../src/domain/model.ts";

const SURNAMES = [
  "Jansen",
  "de Vries",
  "van den Berg",
  "Bakker",
  "Visser",
  "Smit",
  "Meijer",
  "de Boer",
  "Mulder",
  "Bos",
];
const FIRST = ["Jan", "Pieter", "Anna", "Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess"];

/** A stored customer numbered `n`, with a predictable name, address and phone. */
export function customer(n: number, overrides: Partial<Customer["party"]> = {}): Customer {
  const surname = SURNAMES[n % SURNAMES.length]!;
  const [tussenvoegsel, rest] = surname.includes(" ")
    ? [surname.slice(0, surname.lastIndexOf(" ")), surname.slice(surname.lastIndexOf(" ") + 1)]
    : [undefined, surname];
  return {
    customerId: `K${String(n).padStart(7, "0")}`,
    party: {
      kind: "P",
      firstNames: FIRST[(n * 7) % FIRST.length],
      surname: `${rest}${n >= 10 ? String.fromCharCode(97 + (n % 26)) : ""}`,
      ...(tussenvoegsel ? { tussenvoegsel: tussenvoegsel.toLowerCase() } : {}),
      birthDate: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
      ...overrides,
    },
    address: {
      street: "Dorpsstraat",
      houseNumber: 1 + (n % 200),
      postcode: `${1000 + (n % 9000)} AB`,
      city: "Utrecht",
      country: "NL",
    },
    phones: [{ raw: `06${String(10_000_000 + n)}`, e164: `+316${String(10_000_000 + n)}` }],
    partnerRefs: [{ partner: "VOLMACHT-A" }],
    matchKeys: [`k:${n}`],
    deliveryIds: ["D1"],
    updatedAt: "2026-11-01T00:00:00Z",
  };
}

/** One running policy of customer `n` at VOLMACHT-A. */
export function policyOf(n: number): Policy {
  return {
    partner: "VOLMACHT-A",
    policyNumber: `VA-${n}`,
    customerId: customer(n).customerId,
    versions: [
      {
        product: "RB-PARTICULIER",
        modules: ["CONS", "WON"],
        startDate: "2024-01-01",
        status: "actief",
        clauseCodes: [],
        household: false,
        validFrom: "2024-01-01",
        deliveryIds: ["D1"],
      },
    ],
    deliveryIds: ["D1"],
  };
}

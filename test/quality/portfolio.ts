import { type GeneratedPerson, generatePortfolio, PORTFOLIO_DATE } from "../../src/demo/generator.ts";
import type { Customer, Policy } from "../../src/domain/model.ts";
import { toCustomerDoc } from "../../src/mappings/customer-doc.ts";
import type { CustomerDoc } from "../../src/search/search-engine.ts";

/**
 * The ground-truth customer of a generated person: one customer per personId, with the policies of
 * every partner the person is insured through (as the store resolves them).
 */
export function toCustomer(person: GeneratedPerson): { customer: Customer; policies: Policy[] } {
  const customer: Customer = {
    customerId: person.personId,
    party: {
      kind: person.kind,
      initials: person.initials || undefined,
      firstNames: person.firstNames || undefined,
      tussenvoegsel: person.tussenvoegsel,
      surname: person.kind === "P" ? person.surname : undefined,
      companyName: person.companyName,
      kvk: person.kvk,
      birthDate: person.birthDate,
      gender: person.gender,
    },
    address: {
      street: person.street,
      houseNumber: person.houseNumber,
      houseNumberAddition: person.addition,
      postcode: person.postcode,
      city: person.city,
      country: "NL",
    },
    phones: person.phones.map((e164) => ({ raw: e164, e164 })),
    email: person.email,
    partnerRefs: person.policies.map((p) => ({
      partner: p.partner,
      partnerCustomerNumber: p.partnerCustomerNumber,
    })),
    matchKeys: [],
    deliveryIds: [],
    updatedAt: `${PORTFOLIO_DATE}T00:00:00Z`,
  };
  const policies: Policy[] = person.policies.map((p) => ({
    partner: p.partner,
    policyNumber: p.policyNumber,
    customerId: person.personId,
    versions: [
      {
        product: p.product,
        modules: p.modules,
        startDate: p.startDate,
        endDate: p.endDate,
        status: p.status,
        conditionsCode: p.conditionsCode,
        clauseCodes: p.clauseCodes,
        deductible: p.deductible,
        household: p.household,
        validFrom: p.startDate,
        deliveryIds: [],
      },
    ],
    deliveryIds: [],
  }));
  return { customer, policies };
}

/** Generates `customers` people with a fixed seed and projects each into its CustomerDoc. */
export function portfolioDocs(customers: number, seed: number): CustomerDoc[] {
  const persons = new Map<string, GeneratedPerson>();
  for (const row of generatePortfolio({ customers, seed })) persons.set(row.personId, row.person);
  return [...persons.values()].map((p) => {
    const { customer, policies } = toCustomer(p);
    return toCustomerDoc(customer, policies, PORTFOLIO_DATE);
  });
}

/** The same portfolio as CustomerDoc batches, streamed: memory holds one batch, not the portfolio. */
export function* portfolioDocBatches(
  customers: number,
  seed: number,
  batchSize = 5000,
  reshape: (p: GeneratedPerson) => GeneratedPerson = (p) => p,
): Generator<CustomerDoc[]> {
  let batch: CustomerDoc[] = [];
  let current: GeneratedPerson | undefined;
  const flush = (p: GeneratedPerson) => {
    const { customer, policies } = toCustomer(reshape(p));
    batch.push(toCustomerDoc(customer, policies, PORTFOLIO_DATE));
  };
  // A person's rows come one after another, so a person is complete when the next one starts.
  for (const row of generatePortfolio({ customers, seed })) {
    if (current && current.personId !== row.personId) {
      flush(current);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    current = row.person;
  }
  if (current) flush(current);
  if (batch.length > 0) yield batch;
}

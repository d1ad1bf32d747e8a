/** A policy as partner TUSSEN-B passes it on by phone for a new customer, Sanne Bakker. */
export const PHONE_POLICY = {
  partner: "TUSSEN-B",
  policyNumber: "TB-77001",
  product: "RB-PARTICULIER",
  modules: ["CONS", "WON"],
  startDate: "2024-05-01",
  policyholder: {
    initials: "S.",
    firstNames: "Sanne",
    surname: "Bakker",
    birthDate: "1988-09-14",
    street: "Havenstraat",
    houseNumber: "8a",
    postcode: "3011ab",
    city: "Rotterdam",
    phone: "06-87654321",
    email: "sanne.bakker@example.nl",
  },
};

/** The same policy with changes to its fields (a shallow merge of `policyholder`). */
export function phonePolicy(
  patch: Partial<Omit<typeof PHONE_POLICY, "policyholder">> & {
    policyholder?: Record<string, unknown>;
  } = {},
): Record<string, unknown> {
  return {
    ...PHONE_POLICY,
    ...patch,
    policyholder: { ...PHONE_POLICY.policyholder, ...(patch.policyholder ?? {}) },
  };
}

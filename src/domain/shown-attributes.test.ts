import { describe, expect, it } from "vitest";
import type { Address, CustomerSource, Party } from "./model.ts";
import { shownAttributes } from "./shown-attributes.ts";

const HOME: Address = {
  street: "Kerkstraat",
  houseNumber: 12,
  postcode: "1234 AB",
  city: "Amsterdam",
  country: "NL",
};

/** What a partner says, received at `day` (2026-01-dd). */
function says(
  partner: string,
  day: number,
  over: { party?: Partial<Party>; address?: Address; phones?: string[]; email?: string } = {},
): CustomerSource {
  const deliveryId = `${partner}-${day}`;
  return {
    partner,
    deliveryId,
    receivedAt: `2026-01-${String(day).padStart(2, "0")}T09:00:00.000Z`,
    deliveryIds: [deliveryId],
    party: {
      kind: "P",
      initials: "A.M.",
      tussenvoegsel: "de",
      surname: "Vries",
      birthDate: "1980-05-01",
      ...over.party,
    },
    address: over.address ?? HOME,
    phones: (over.phones ?? []).map((raw) => ({ raw, e164: raw.startsWith("+") ? raw : null })),
    ...(over.email === undefined ? {} : { email: over.email }),
  };
}

/** What a service centre agent reads on the card. */
function card(sources: CustomerSource[]) {
  const { party, address, phones, email } = shownAttributes(sources);
  return {
    name: [party.initials, party.firstNames && `(${party.firstNames})`, party.tussenvoegsel, party.surname]
      .filter(Boolean)
      .join(" "),
    birthDate: party.birthDate,
    address: [address.street, address.houseNumber, address.postcode, address.city].filter(Boolean).join(" "),
    phones: phones.map((p) => p.raw),
    email,
  };
}

const A = (day: number, over?: Parameters<typeof says>[2]) => says("VOLMACHT-A", day, over);
const B = (day: number, over?: Parameters<typeof says>[2]) => says("TUSSEN-B", day, over);

describe("what the card shows when partners say different things", () => {
  it.each<[string, CustomerSource[], Partial<ReturnType<typeof card>>]>([
    [
      "one partner: what it says",
      [A(1, { party: { firstNames: "Anna Maria" }, phones: ["+31612345678"], email: "anna@example.nl" })],
      { name: "A.M. (Anna Maria) de Vries", phones: ["+31612345678"], email: "anna@example.nl" },
    ],
    [
      "a newer partner without first names does not erase them",
      [A(1, { party: { firstNames: "Anna Maria" } }), B(2)],
      { name: "A.M. (Anna Maria) de Vries" },
    ],
    [
      "every partner's phone is hers, the newest partner's first",
      [A(1, { phones: ["+31612345678"] }), B(2, { phones: ["+31698765432"] })],
      { phones: ["+31698765432", "+31612345678"] },
    ],
    [
      "the same number from two partners is shown once",
      [A(1, { phones: ["+31612345678", "020-1234567"] }), B(2, { phones: ["+31612345678"] })],
      { phones: ["+31612345678", "020-1234567"] },
    ],
    [
      "the newest partner's e-mail is shown",
      [A(1, { email: "anna@example.nl" }), B(2, { email: "a.devries@example.com" })],
      { email: "a.devries@example.com" },
    ],
    [
      "a newer partner without e-mail does not erase the other's",
      [A(1, { email: "anna@example.nl" }), B(2)],
      { email: "anna@example.nl" },
    ],
    [
      "the newest address is shown whole, never mixed with an older one",
      [
        A(1, {
          address: {
            street: "Kerkstraat",
            houseNumber: 12,
            postcode: "1234 AB",
            city: "Amsterdam",
            country: "NL",
          },
        }),
        B(2, { address: { houseNumber: 3, postcode: "3511 AA", country: "NL" } }),
      ],
      { address: "3 3511 AA" },
    ],
    [
      "the same address without street and city is completed from the partner that gives them",
      [A(1), B(2, { address: { houseNumber: 12, postcode: "1234AB", country: "NL" } })],
      { address: "Kerkstraat 12 1234AB Amsterdam" },
    ],
    [
      "but never from another address (another house number)",
      [A(1), B(2, { address: { houseNumber: 14, postcode: "1234 AB", country: "NL" } })],
      { address: "14 1234 AB" },
    ],
    [
      "nor from the same number with another addition",
      [
        A(1),
        B(2, { address: { houseNumber: 12, houseNumberAddition: "A", postcode: "1234 AB", country: "NL" } }),
      ],
      { address: "12 1234 AB" },
    ],
    [
      "a newer partner without an address does not erase one",
      [A(1), B(2, { address: { country: "NL" } })],
      { address: "Kerkstraat 12 1234 AB Amsterdam" },
    ],
    [
      "a birth date only the older partner gives is kept",
      [A(1), B(2, { party: { birthDate: undefined } })],
      { birthDate: "1980-05-01" },
    ],
    [
      "the surname comes with its own tussenvoegsel",
      [A(1), B(2, { party: { tussenvoegsel: undefined, surname: "Jansen-de Vries" } })],
      { name: "A.M. Jansen-de Vries" },
    ],
    [
      "the order the sources are listed in does not matter",
      [B(2, { phones: ["+31698765432"] }), A(1, { phones: ["+31612345678"] })],
      { phones: ["+31698765432", "+31612345678"] },
    ],
  ])("%s", (_, sources, shown) => {
    expect(card(sources)).toMatchObject(shown);
  });

  it("refuses a customer without any source", () => {
    expect(() => shownAttributes([])).toThrow(TypeError);
  });

  it("a party states only what some source states (no keys without a value)", () => {
    const { party } = shownAttributes([A(1), B(2, { party: { birthDate: undefined } })]);
    expect(Object.keys(party)).toEqual(["kind", "initials", "tussenvoegsel", "surname", "birthDate"]);
  });
});

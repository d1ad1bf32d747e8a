import { describe, expect, it } from "vitest";
import { customerFromSources, sourcesOf, withStatement } from "../domain/customer-sources.ts";
import type { Customer, Policy } from "../domain/model.ts";
import { dutchPhonetic } from "../domain/phonetic.ts";
import { currentVersion, projectionMayDiffer, toCustomerDoc } from "./customer-doc.ts";

const person: Customer = {
  customerId: "C-1",
  party: {
    kind: "P",
    initials: "JP",
    firstNames: "Jan Pieter",
    tussenvoegsel: "v.d.",
    surname: "Bérg-de Vries",
    birthDate: "1980-02-29",
  },
  address: {
    street: "Lange Nieuwstraat",
    houseNumber: 12,
    houseNumberAddition: "A",
    postcode: "1234ab",
    city: "'s-Hertogenbosch",
    country: "NL",
  },
  phones: [
    { raw: "06-12345678", e164: "+31612345678" },
    { raw: "onbekend 12", e164: null },
  ],
  email: " Jan@Example.NL ",
  partnerRefs: [{ partner: "VOLMACHT-A", partnerCustomerNumber: "R1" }],
  matchKeys: [],
  deliveryIds: ["D1"],
  updatedAt: "2026-01-01T00:00:00Z",
};

const version = (
  validFrom: string,
  validTo: string | undefined,
  status: "actief" | "geroyeerd",
  modules: string[],
) => ({
  product: "RB-PARTICULIER",
  modules,
  startDate: "2022-01-01",
  status,
  clauseCodes: [],
  household: false,
  validFrom,
  ...(validTo ? { validTo } : {}),
  deliveryIds: ["D1"],
});

const policies: Policy[] = [
  {
    partner: "VOLMACHT-A",
    policyNumber: "rb-2024/0012",
    customerId: "C-1",
    versions: [
      version("2022-01-01", "2025-01-01", "actief", ["CONS"]),
      version("2025-01-01", undefined, "actief", ["CONS", "WON"]),
    ],
    deliveryIds: ["D1"],
  },
  {
    partner: "TUSSEN-B",
    policyNumber: "TB 77",
    customerId: "C-1",
    versions: [
      version("2023-01-01", "2024-06-01", "actief", ["ARB"]),
      version("2024-06-01", "2025-06-01", "geroyeerd", ["ARB"]),
    ],
    deliveryIds: ["D2"],
  },
];

describe("toCustomerDoc: what the engines index for a person", () => {
  const doc = toCustomerDoc(person, policies, "2026-11-25");

  it("splits the name into folded matching keys, tussenvoegsel apart", () => {
    expect(doc.surname).toBe("berg-de vries");
    expect(doc.surnameParts).toEqual(["berg", "vries"]);
    expect(doc.tussenvoegsel).toBe("van de");
    expect(doc.firstNames).toEqual(["jan", "pieter"]);
    expect(doc.initials).toBe("jp");
    expect(doc.phonetic).toEqual(["berg", "fris", "jan", "pitr"].map(dutchPhonetic));
  });

  it("normalises address, contact and policy keys", () => {
    expect(doc).toMatchObject({
      postcode: "1234 AB",
      postcodeArea: "1234",
      houseNumber: "12A",
      houseNumberBase: "12",
      street: ["lange", "nieuwstraat"],
      city: "'s-hertogenbosch",
      phones: ["+31612345678", "12"],
      email: "jan@example.nl",
      birthDate: "1980-02-29",
    });
    expect(doc.policyNumbers.sort()).toEqual(["RB20240012", "TB77"]);
    expect(doc.partners).toEqual(["TUSSEN-B", "VOLMACHT-A"]);
  });

  it("shows J.P. van de Bérg-de Vries and each policy as of today", () => {
    expect(doc.view.displayName).toBe("J.P. van de Bérg-de Vries");
    expect(doc.view.address.postcode).toBe("1234ab");
    const byNumber = Object.fromEntries(doc.policies.map((p) => [p.policyNumber, p]));
    expect(byNumber["rb-2024/0012"]).toMatchObject({
      status: "actief",
      modules: ["CONS", "WON"],
      endDate: null,
    });
    // The ended policy shows its last version, cancelled.
    expect(byNumber["TB 77"]).toMatchObject({ status: "geroyeerd", partner: "TUSSEN-B" });
  });

  it("survives a JSON round trip unchanged (engines store it as JSON)", () => {
    expect(JSON.parse(JSON.stringify(doc))).toStrictEqual(doc);
  });
});

describe("toCustomerDoc: companies, missing parts, abroad", () => {
  it("indexes a company by its name words and shows the company name", () => {
    const company: Customer = {
      ...person,
      customerId: "C-2",
      party: { kind: "Z", companyName: "Bakkerij De Zon B.V.", kvk: "12345678" },
      address: { postcode: "B-2000", city: "Antwerpen", country: "BE" },
      phones: [],
      email: undefined,
    };
    const doc = toCustomerDoc(company, [], "2026-11-25");
    expect(doc.view.displayName).toBe("Bakkerij De Zon B.V.");
    expect(doc.companyWords).toEqual(["bakkerij", "de", "zon", "b", "v"]);
    expect(doc.surname).toBeUndefined();
    expect(doc.postcode).toBe("b-2000");
    expect(doc.postcodeArea).toBeUndefined();
    expect(doc.policies).toEqual([]);
    expect("email" in doc).toBe(false);
  });

  it("finds a tussenvoegsel a partner left inside the surname", () => {
    const c: Customer = { ...person, party: { kind: "P", firstNames: "Anna", surname: "van der Berg" } };
    const doc = toCustomerDoc(c, [], "2026-11-25");
    expect(doc).toMatchObject({ surname: "berg", tussenvoegsel: "van der", initials: "a" });
    expect(doc.view.displayName).toBe("A. van der Berg");
  });

  it("picks the version valid today, else the last one", () => {
    expect(currentVersion(policies[0]!, "2024-12-31").modules).toEqual(["CONS"]);
    expect(currentVersion(policies[0]!, "2025-01-01").modules).toEqual(["CONS", "WON"]);
    expect(currentVersion(policies[1]!, "2020-01-01").status).toBe("geroyeerd");
  });
});

describe("projectionMayDiffer: whether a confirmed customer's search document must be made again", () => {
  const since = "2026-01-01";
  const before = { customer: person, policies };
  // What a re-delivery of the same data makes: another delivery in the lineage, newer updatedAt.
  const confirmed = {
    customer: { ...person, deliveryIds: ["D1", "D3"], updatedAt: "2026-02-01T00:00:00Z" },
    policies: policies.map((p) => ({
      ...p,
      deliveryIds: [...p.deliveryIds, "D3"],
      versions: p.versions.map((v) => ({ ...v, deliveryIds: [...v.deliveryIds, "D3"] })),
    })),
  };

  it("is false when only lineage and updatedAt changed, also with absent fields spelled undefined", () => {
    expect(projectionMayDiffer(before, confirmed, since)).toBe(false);
    const spelled = { ...confirmed.customer, party: { ...person.party, companyName: undefined } };
    expect(projectionMayDiffer(before, { ...confirmed, customer: spelled }, since)).toBe(false);
    // The search document agrees: the same one is made of both.
    expect(toCustomerDoc(confirmed.customer, confirmed.policies, "2026-02-01")).toEqual(
      toCustomerDoc(person, policies, "2026-02-01"),
    );
  });

  it("is true when anything the search document shows changed", () => {
    const customer = (c: Partial<Customer>) => ({ ...confirmed, customer: { ...confirmed.customer, ...c } });
    expect(projectionMayDiffer(before, customer({ email: "ander@example.nl" }), since)).toBe(true);
    expect(projectionMayDiffer(before, customer({ phones: [] }), since)).toBe(true);
    expect(
      projectionMayDiffer(before, customer({ address: { ...person.address, houseNumber: 14 } }), since),
    ).toBe(true);
    expect(
      projectionMayDiffer(before, customer({ party: { ...person.party, surname: "Berg" } }), since),
    ).toBe(true);
    expect(
      projectionMayDiffer(
        before,
        customer({ partnerRefs: [...person.partnerRefs, { partner: "MULTI-C" }] }),
        since,
      ),
    ).toBe(true);
    const [first, second] = confirmed.policies;
    const reordered = {
      ...first!,
      versions: [first!.versions[0]!, { ...first!.versions[1]!, modules: ["WON", "CONS"] }],
    };
    expect(projectionMayDiffer(before, { ...confirmed, policies: [reordered, second!] }, since)).toBe(true);
    // A policy more, one fewer, or one passed to someone else.
    expect(projectionMayDiffer(before, { ...confirmed, policies: [first!] }, since)).toBe(true);
    const extra = { ...second!, policyNumber: "TB 78" };
    expect(
      projectionMayDiffer(before, { ...confirmed, policies: [...confirmed.policies, extra] }, since),
    ).toBe(true);
    expect(
      projectionMayDiffer(
        before,
        { ...confirmed, policies: [first!, { ...second!, customerId: "C-2" }] },
        since,
      ),
    ).toBe(true);
  });

  it("is true when a version starts after the document was made: today's current version may be another", () => {
    // rb-2024/0012's second version starts 2025-01-01: made on 2024-12-15, the document showed the first.
    expect(projectionMayDiffer(before, confirmed, "2024-12-15")).toBe(true);
    expect(projectionMayDiffer(before, confirmed, "2025-01-01")).toBe(false);
  });
});

describe("toCustomerDoc: a customer two partners deliver", () => {
  // VOLMACHT-A's files, then TUSSEN-B's with another phone and e-mail and without first names.
  const a = sourcesOf(person)[0]!;
  const b = {
    ...a,
    partner: "TUSSEN-B",
    deliveryId: "D2",
    receivedAt: "2026-02-01T00:00:00Z",
    deliveryIds: ["D2"],
    party: { ...person.party, firstNames: undefined },
    phones: [{ raw: "06-87654321", e164: "+31687654321" }],
    email: "a.devries@example.com",
  };
  const both = customerFromSources(
    { ...person, partnerRefs: [...person.partnerRefs, { partner: "TUSSEN-B" }] },
    withStatement([a], b),
  );

  it("indexes every partner's phones and e-mails, and the first names the newer partner lacks", () => {
    const doc = toCustomerDoc(both, [], "2026-02-01");
    expect(doc.phones).toEqual(["+31687654321", "+31612345678", "12"]);
    expect(doc.email).toEqual(["a.devries@example.com", "jan@example.nl"]);
    expect(doc.firstNames).toEqual(["jan", "pieter"]);
    expect(doc.partners).toEqual(["TUSSEN-B", "VOLMACHT-A"]);
    expect(doc.view.phones).toEqual(["+31687654321", "+31612345678", "onbekend 12"]);
    expect(doc.view.email).toBe("a.devries@example.com");
  });

  it("a one-partner customer keeps a single e-mail string, as its document always had", () => {
    expect(toCustomerDoc(person, [], "2026-02-01").email).toBe("jan@example.nl");
  });

  it("differs when an older partner's e-mail changes, though the e-mail shown stays", () => {
    const changed = customerFromSources(both, withStatement(both.sources!, { ...a, email: "jp@example.nl" }));
    expect(changed.email).toBe(both.email);
    expect(
      projectionMayDiffer(
        { customer: both, policies: [] },
        { customer: changed, policies: [] },
        "2026-02-01",
      ),
    ).toBe(true);
    const again = customerFromSources(both, withStatement(both.sources!, { ...a, deliveryId: "D3" }));
    expect(
      projectionMayDiffer({ customer: both, policies: [] }, { customer: again, policies: [] }, "2026-02-01"),
    ).toBe(false);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  customerFromSources,
  emailsOf,
  type Statement,
  sourcesOf,
  withoutDelivery,
  withStatement,
} from "./customer-sources.ts";
import type { Channel, Customer, CustomerSource, Party } from "./model.ts";

const DE_VRIES: Party = {
  kind: "P",
  initials: "A.M.",
  tussenvoegsel: "de",
  surname: "Vries",
  birthDate: "1980-05-01",
};

/** What `partner` says in delivery `id`, received on 2026-01-`day`. */
function said(
  partner: string,
  id: string,
  day: number,
  over: { firstNames?: string; phone?: string; email?: string; channel?: Channel } = {},
): Statement {
  return {
    partner,
    deliveryId: id,
    receivedAt: `2026-01-${String(day).padStart(2, "0")}T09:00:00.000Z`,
    party: over.firstNames ? { ...DE_VRIES, firstNames: over.firstNames } : DE_VRIES,
    address: { postcode: "1234 AB", houseNumber: 12, country: "NL" },
    phones: over.phone ? [{ raw: over.phone, e164: over.phone }] : [],
    ...(over.email ? { email: over.email } : {}),
    ...(over.channel ? { channel: over.channel } : {}),
  };
}

/** Folds statements in the order they are processed. */
const fold = (...statements: Statement[]) =>
  statements.reduce<CustomerSource[]>((sources, st) => withStatement(sources, st), []);

/** Each source as a line: who says it, in which delivery, carried by which, and the phone it gives. */
const lines = (sources: readonly CustomerSource[]) =>
  sources.map(
    (s) =>
      `${s.partner}${s.channel === "phone" ? " by phone" : ""}${s.merged ? " (merged)" : ""} ${s.deliveryId} ` +
      `[${s.deliveryIds.join(",")}] ${s.phones.map((p) => p.raw).join(",")}`,
  );

const base = { customerId: "c1", matchKeys: [] };
const refs = (...partners: string[]) => partners.map((partner) => ({ partner }));

describe("each partner's delivery changes only its own source", () => {
  it.each<[string, Statement[], string[]]>([
    [
      "a second partner's delivery comes beside the first's",
      [
        said("VOLMACHT-A", "a1", 1, { phone: "+31612345678" }),
        said("TUSSEN-B", "b1", 2, { phone: "+31687654321" }),
      ],
      ["TUSSEN-B b1 [b1] +31687654321", "VOLMACHT-A a1 [a1] +31612345678"],
    ],
    [
      "the same partner's newer delivery replaces its own older version",
      [
        said("VOLMACHT-A", "a1", 1, { phone: "+31612345678" }),
        said("VOLMACHT-A", "a2", 5, { phone: "+31600000001" }),
      ],
      ["VOLMACHT-A a2 [a1,a2] +31600000001"],
    ],
    [
      "a delivery received before the version held only joins its lineage",
      [
        said("VOLMACHT-A", "a2", 5, { phone: "+31600000001" }),
        said("VOLMACHT-A", "a1", 1, { phone: "+31612345678" }),
      ],
      ["VOLMACHT-A a2 [a2,a1] +31600000001"],
    ],
    [
      "the same delivery twice changes nothing",
      [
        said("VOLMACHT-A", "a1", 1, { phone: "+31612345678" }),
        said("VOLMACHT-A", "a1", 1, { phone: "+31612345678" }),
      ],
      ["VOLMACHT-A a1 [a1] +31612345678"],
    ],
    [
      "what an agent takes down by phone comes beside the partner's files",
      [
        said("VOLMACHT-A", "a1", 1, { phone: "+31612345678" }),
        said("VOLMACHT-A", "t1", 3, { phone: "+31600000002", channel: "phone" }),
      ],
      ["VOLMACHT-A by phone t1 [t1] +31600000002", "VOLMACHT-A a1 [a1] +31612345678"],
    ],
    [
      "the partner's next file stands for what was taken down by phone",
      [
        said("VOLMACHT-A", "a1", 1, { phone: "+31612345678" }),
        said("VOLMACHT-A", "t1", 3, { phone: "+31600000002", channel: "phone" }),
        said("VOLMACHT-A", "a2", 4, { phone: "+31612345678" }),
      ],
      ["VOLMACHT-A a2 [a1,t1,a2] +31612345678"],
    ],
    [
      "a file received before the phone call does not",
      [
        said("VOLMACHT-A", "t1", 3, { phone: "+31600000002", channel: "phone" }),
        said("VOLMACHT-A", "a0", 2, { phone: "+31612345678" }),
      ],
      ["VOLMACHT-A by phone t1 [t1] +31600000002", "VOLMACHT-A a0 [a0] +31612345678"],
    ],
    [
      "another partner's file leaves what was taken down by phone",
      [
        said("VOLMACHT-A", "t1", 3, { phone: "+31600000002", channel: "phone" }),
        said("TUSSEN-B", "b1", 4, { phone: "+31687654321" }),
      ],
      ["TUSSEN-B b1 [b1] +31687654321", "VOLMACHT-A by phone t1 [t1] +31600000002"],
    ],
  ])("%s", (_, statements, expected) => {
    expect(lines(fold(...statements))).toEqual(expected);
  });
});

describe("taking a delivery out (retention, undoing a failed delivery)", () => {
  const both = fold(
    said("VOLMACHT-A", "a1", 1, { phone: "+31612345678" }),
    said("TUSSEN-B", "b1", 2, { phone: "+31687654321" }),
  );
  it.each<[string, CustomerSource[], string, string[]]>([
    [
      "a purged delivery's source goes, the other partner's stays",
      both,
      "b1",
      ["VOLMACHT-A a1 [a1] +31612345678"],
    ],
    [
      "a source a newer delivery confirmed stays",
      fold(
        said("VOLMACHT-A", "a1", 1, { phone: "+31612345678" }),
        said("VOLMACHT-A", "a2", 5, { phone: "+31612345678" }),
      ),
      "a1",
      ["VOLMACHT-A a2 [a2] +31612345678"],
    ],
    ["a delivery no source names changes nothing", both, "x9", lines(both)],
    ["the last source gone leaves none", fold(said("TUSSEN-B", "b1", 2)), "b1", []],
  ])("%s", (_, sources, purged, expected) => {
    expect(lines(withoutDelivery(sources, purged))).toEqual(expected);
  });

  it("the customer left shows only what the remaining partner says, and loses the other's reference", () => {
    const after = customerFromSources(
      { ...base, partnerRefs: refs("VOLMACHT-A", "TUSSEN-B") },
      withoutDelivery(both, "b1"),
    );
    expect(after).toMatchObject({
      phones: [{ raw: "+31612345678" }],
      partnerRefs: [{ partner: "VOLMACHT-A" }],
      deliveryIds: ["a1"],
      updatedAt: "2026-01-01T09:00:00.000Z",
    });
  });
});

describe("the customer a set of sources makes", () => {
  it("shows every partner's phone and the newest e-mail, and keeps every e-mail for search", () => {
    const c = customerFromSources(
      { ...base, partnerRefs: refs("VOLMACHT-A", "TUSSEN-B") },
      fold(
        said("VOLMACHT-A", "a1", 1, {
          firstNames: "Anna Maria",
          phone: "+31612345678",
          email: "anna@example.nl",
        }),
        said("TUSSEN-B", "b1", 2, { phone: "+31687654321", email: "a.devries@example.com" }),
      ),
    );
    expect(c.phones.map((p) => p.raw)).toEqual(["+31687654321", "+31612345678"]);
    expect(c.party.firstNames).toBe("Anna Maria");
    expect(c.email).toBe("a.devries@example.com");
    expect(emailsOf(c)).toEqual(["a.devries@example.com", "anna@example.nl"]);
    expect(c.deliveryIds).toEqual(["a1", "b1"]);
    expect(c.updatedAt).toBe("2026-01-02T09:00:00.000Z");
    expect(c.sources?.map((s) => s.partner)).toEqual(["TUSSEN-B", "VOLMACHT-A"]);
  });

  it.each<[string, Statement[], boolean]>([
    [
      "one partner's files: stored as the customer's own attributes",
      [said("VOLMACHT-A", "a1", 1), said("VOLMACHT-A", "a2", 2)],
      false,
    ],
    ["two partners: the sources are kept", [said("VOLMACHT-A", "a1", 1), said("TUSSEN-B", "b1", 2)], true],
    ["taken down by phone: kept as such", [said("VOLMACHT-A", "t1", 1, { channel: "phone" })], true],
    [
      "an older delivery after a newer one: kept, to know which version is shown",
      [said("VOLMACHT-A", "a2", 2), said("VOLMACHT-A", "a1", 1)],
      true,
    ],
  ])("%s", (_, statements, kept) => {
    const partners = [...new Set(statements.map((s) => s.partner))];
    const sources = fold(...statements);
    const c = customerFromSources({ ...base, partnerRefs: refs(...partners) }, sources);
    expect(c.sources !== undefined).toBe(kept);
    // Either way the same sources are read back.
    expect(sourcesOf(c)).toEqual(sources);
  });
});

describe("customers of a store written before sources were kept", () => {
  const old = (partners: string[]): Customer => ({
    customerId: "c1",
    party: { ...DE_VRIES, firstNames: "Anna Maria" },
    address: { postcode: "1234 AB", houseNumber: 12, country: "NL" },
    phones: [{ raw: "+31612345678", e164: "+31612345678" }],
    email: "anna@example.nl",
    partnerRefs: refs(...partners),
    matchKeys: ["K1"],
    deliveryIds: ["a1", "b1"],
    updatedAt: "2026-01-02T09:00:00.000Z",
  });

  it("one partner's customer reads as that partner's source, carried by every delivery of its lineage", () => {
    expect(lines(sourcesOf(old(["VOLMACHT-A"])))).toEqual(["VOLMACHT-A b1 [a1,b1] +31612345678"]);
  });

  it("a customer merged from two partners reads as one source per partner, marked merged", () => {
    expect(lines(sourcesOf(old(["VOLMACHT-A", "TUSSEN-B"])))).toEqual([
      "VOLMACHT-A (merged) b1 [a1,b1] +31612345678",
      "TUSSEN-B (merged) b1 [a1,b1] +31612345678",
    ]);
  });

  it("a partner's next delivery replaces only its own part of the merged record", () => {
    const c = old(["VOLMACHT-A", "TUSSEN-B"]);
    const sources = withStatement(sourcesOf(c), said("TUSSEN-B", "b2", 9, { phone: "+31687654321" }));
    expect(lines(sources)).toEqual([
      "TUSSEN-B b2 [a1,b1,b2] +31687654321",
      "VOLMACHT-A (merged) b1 [a1,b1] +31612345678",
    ]);
    const after = customerFromSources(c, sources);
    expect(after.phones.map((p) => p.raw)).toEqual(["+31687654321", "+31612345678"]);
    expect(after.party.firstNames).toBe("Anna Maria");
  });
});

describe("whatever the partners deliver, in any order", () => {
  const statement = fc.record({
    partner: fc.constantFrom("VOLMACHT-A", "TUSSEN-B", "MULTI-C"),
    id: fc.string({ minLength: 1, maxLength: 3 }),
    day: fc.integer({ min: 1, max: 28 }),
    phone: fc.option(fc.constantFrom("+31611111111", "+31622222222", "+31633333333"), { nil: undefined }),
    email: fc.option(fc.constantFrom("x@example.nl", "y@example.nl"), { nil: undefined }),
    byPhone: fc.boolean(),
  });
  const toStatement = (s: typeof statement extends fc.Arbitrary<infer T> ? T : never) =>
    said(s.partner, `${s.partner}-${s.id}`, s.day, {
      ...(s.phone ? { phone: s.phone } : {}),
      ...(s.email ? { email: s.email } : {}),
      ...(s.byPhone ? { channel: "phone" as const } : {}),
    });

  it("no partner's delivery removes or replaces another partner's source; every source's phone is shown", () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 12 }), (raw) => {
        let sources: CustomerSource[] = [];
        for (const r of raw) {
          const st = toStatement(r);
          const after = withStatement(sources, st);
          for (const s of sources.filter((x) => x.partner !== st.partner)) expect(after).toContainEqual(s);
          expect(after.some((s) => s.partner === st.partner && s.deliveryIds.includes(st.deliveryId))).toBe(
            true,
          );
          sources = after;
        }
        const c = customerFromSources(
          { ...base, partnerRefs: refs(...new Set(raw.map((r) => r.partner))) },
          sources,
        );
        const every = new Set(sources.flatMap((s) => s.phones.map((p) => p.raw)));
        expect(new Set(c.phones.map((p) => p.raw))).toEqual(every);
        expect(sourcesOf(c)).toEqual(sources);
      }),
    );
  });
});

import { describe, expect, it } from "vitest";
import type { Policy, PolicyTerms } from "./model.ts";
import {
  amsterdamDate,
  applyRow,
  endPolicy,
  type PolicyFacts,
  removeDelivery,
  versionAt,
} from "./policy-history.ts";

const terms = (over: Partial<PolicyTerms> = {}): PolicyTerms => ({
  product: "RB-PARTICULIER",
  modules: ["CONS", "WON"],
  startDate: "2024-01-01",
  status: "actief",
  clauseCodes: [],
  household: false,
  ...over,
});

const facts = (over: Partial<PolicyFacts> = {}): PolicyFacts => ({
  partner: "VOLMACHT-A",
  policyNumber: "P1",
  customerId: "c1",
  terms: terms(),
  deliveryId: "d1",
  deliveryDate: "2024-03-15",
  ...over,
});

/** A compact view of the history a domain expert reads: from–to, modules, status, carried by. */
const history = (p: Policy | null) =>
  p?.versions.map(
    (v) =>
      `${v.validFrom}..${v.validTo ?? ""} ${v.modules.join("+")} ${v.status} [${v.deliveryIds.join(",")}]`,
  );

const start = applyRow(null, facts());

describe("applying delivered rows", () => {
  it.each<[string, Policy | null, PolicyFacts, string[]]>([
    ["a new policy is valid from its ingangsdatum", null, facts(), ["2024-01-01.. CONS+WON actief [d1]"]],
    [
      "a new policy with a mutatiedatum starts there",
      null,
      facts({ effectiveDate: "2024-02-01" }),
      ["2024-02-01.. CONS+WON actief [d1]"],
    ],
    [
      "the same row again only confirms (lineage grows)",
      start,
      facts({ deliveryId: "d2", deliveryDate: "2024-06-01" }),
      ["2024-01-01.. CONS+WON actief [d1,d2]"],
    ],
    [
      "module order does not make a change",
      start,
      facts({ deliveryId: "d2", terms: terms({ modules: ["WON", "CONS"] }) }),
      ["2024-01-01.. CONS+WON actief [d1,d2]"],
    ],
    ["the same delivery twice changes nothing", start, facts(), ["2024-01-01.. CONS+WON actief [d1]"]],
    [
      "a change without mutatiedatum takes effect on the delivery date",
      start,
      facts({
        deliveryId: "d2",
        deliveryDate: "2024-06-01",
        terms: terms({ modules: ["CONS", "WON", "ARB"] }),
      }),
      ["2024-01-01..2024-06-01 CONS+WON actief [d1]", "2024-06-01.. CONS+WON+ARB actief [d2]"],
    ],
    [
      "a change with mutatiedatum closes the previous version on that date",
      start,
      facts({ deliveryId: "d2", effectiveDate: "2024-04-01", terms: terms({ modules: ["CONS"] }) }),
      ["2024-01-01..2024-04-01 CONS+WON actief [d1]", "2024-04-01.. CONS actief [d2]"],
    ],
    [
      "a late row dated before a later change is inserted in order",
      applyRow(
        start,
        facts({ deliveryId: "d2", effectiveDate: "2024-06-01", terms: terms({ modules: ["CONS"] }) }),
      ),
      facts({
        deliveryId: "d3",
        effectiveDate: "2024-03-01",
        terms: terms({ modules: ["CONS", "WON", "MED"] }),
      }),
      [
        "2024-01-01..2024-03-01 CONS+WON actief [d1]",
        "2024-03-01..2024-06-01 CONS+WON+MED actief [d3]",
        "2024-06-01.. CONS actief [d2]",
      ],
    ],
    [
      "a row dated before the first version becomes the first",
      start,
      facts({ deliveryId: "d2", effectiveDate: "2023-12-01", terms: terms({ startDate: "2023-12-01" }) }),
      ["2023-12-01..2024-01-01 CONS+WON actief [d2]", "2024-01-01.. CONS+WON actief [d1]"],
    ],
    [
      "another statement about the same day is a correction",
      start,
      facts({ deliveryId: "d2", effectiveDate: "2024-01-01", terms: terms({ modules: ["CONS"] }) }),
      ["2024-01-01.. CONS actief [d2]"],
    ],
  ])("%s", (_title, policy, f, expected) => {
    const before = JSON.stringify(policy);
    const after = applyRow(policy, f);
    expect(history(after)).toEqual(expected);
    expect(JSON.stringify(policy)).toBe(before); // pure: the input is untouched
    expect(after.deliveryIds.sort()).toEqual(
      [...new Set(after.versions.flatMap((v) => v.deliveryIds))].sort(),
    );
  });

  it("answers what the policy covered on a date", () => {
    const p = applyRow(
      start,
      facts({ deliveryId: "d2", effectiveDate: "2024-04-01", terms: terms({ modules: ["CONS"] }) }),
    );
    expect(versionAt(p, "2024-03-31")?.modules).toEqual(["CONS", "WON"]);
    expect(versionAt(p, "2024-04-01")?.modules).toEqual(["CONS"]);
    expect(versionAt(p, "2023-12-31")).toBeUndefined();
  });
});

describe("a full delivery without the policy", () => {
  it("ends it as of the delivery, keeping the history", () => {
    const ended = endPolicy(start, "2025-02-01", "d9");
    expect(history(ended)).toEqual([
      "2024-01-01..2025-02-01 CONS+WON actief [d1]",
      "2025-02-01.. CONS+WON geroyeerd [d9]",
    ]);
    expect(ended.versions.at(-1)?.endDate).toBe("2025-02-01");
    expect(ended.deliveryIds).toEqual(["d1", "d9"]);
  });
  it("leaves an already cancelled policy as it is", () => {
    const ended = endPolicy(start, "2025-02-01", "d9");
    expect(endPolicy(ended, "2025-06-01", "d10")).toEqual(ended);
  });
});

describe("retention removes a delivery's share", () => {
  const changed = applyRow(
    applyRow(start, facts({ deliveryId: "d2", deliveryDate: "2024-05-01" })),
    facts({ deliveryId: "d3", deliveryDate: "2024-06-01", terms: terms({ modules: ["CONS"] }) }),
  );
  it.each<[string, string, string[] | undefined]>([
    [
      "a version confirmed by a newer delivery lives on",
      "d1",
      ["2024-01-01..2024-06-01 CONS+WON actief [d2]", "2024-06-01.. CONS actief [d3]"],
    ],
    [
      "a version only the deleted delivery carried goes; the one before reopens",
      "d3",
      ["2024-01-01.. CONS+WON actief [d1,d2]"],
    ],
  ])("%s", (_t, deliveryId, expected) =>
    expect(history(removeDelivery(changed, deliveryId))).toEqual(expected),
  );
  it("nothing is left when one delivery carried it all", () =>
    expect(removeDelivery(start, "d1")).toBeNull());
});

describe("a policy passed on by phone", () => {
  const phone = (deliveryId: string) => ({ by: "agent-anna", at: "2026-03-02T10:15:00.000Z", deliveryId });
  /** The history with the phone marking: who passed each version on, if it rests on a phone call alone. */
  const marked = (p: Policy | null) => p?.versions.map((v) => `${v.validFrom} ${v.givenByPhone?.by ?? "-"}`);
  const byPhone = applyRow(null, facts({ deliveryId: "t1", givenByPhone: phone("t1") }));

  // biome-ignore format: one case a line
  it.each<[string, Policy | null, PolicyFacts, string[]]>([
    ["a new policy given by phone is marked with who recorded it", null, facts({ deliveryId: "t1", givenByPhone: phone("t1") }), ["2024-01-01 agent-anna"]],
    ["the partner's own file confirming it takes the marking away", byPhone, facts({ deliveryId: "d2" }), ["2024-01-01 -"]],
    ["a change by phone on a partner's policy marks only the new version", start, facts({ deliveryId: "t2", terms: terms({ modules: ["CONS"] }), givenByPhone: phone("t2") }), ["2024-01-01 -", "2024-03-15 agent-anna"]],
    ["the same terms by phone add nothing to a partner's version", start, facts({ deliveryId: "t2", givenByPhone: phone("t2") }), ["2024-01-01 -"]],
    ["a partner's file correcting the day of a phone version replaces it unmarked", byPhone, facts({ deliveryId: "d2", effectiveDate: "2024-01-01", terms: terms({ modules: ["CONS"] }) }), ["2024-01-01 -"]],
  ])("%s", (_says, before, f, expected) => expect(marked(applyRow(before, f))).toEqual(expected));

  it("a partner's file ending the policy does not carry the marking over", () => {
    expect(marked(endPolicy(byPhone, "2025-02-01", "d9"))).toEqual(["2024-01-01 agent-anna", "2025-02-01 -"]);
  });

  it("retention of the phone delivery takes the marking with it", () => {
    const confirmedByPhoneAgain = applyRow(byPhone, facts({ deliveryId: "t3", givenByPhone: phone("t3") }));
    expect(history(confirmedByPhoneAgain)).toEqual(["2024-01-01.. CONS+WON actief [t1,t3]"]);
    expect(marked(removeDelivery(confirmedByPhoneAgain, "t3"))).toEqual(["2024-01-01 agent-anna"]);
    expect(marked(removeDelivery(confirmedByPhoneAgain, "t1"))).toEqual(["2024-01-01 -"]);
    expect(removeDelivery(byPhone, "t1")).toBeNull();
  });
});

describe("amsterdamDate", () => {
  it.each([
    ["2026-03-31T22:30:00.000Z", "2026-04-01"], // summer time: UTC+2
    ["2026-01-15T23:30:00.000Z", "2026-01-16"], // winter time: UTC+1
    ["2026-01-15T22:30:00.000Z", "2026-01-15"],
  ])("%s is %s in the Netherlands", (instant, date) => expect(amsterdamDate(instant)).toBe(date));
});

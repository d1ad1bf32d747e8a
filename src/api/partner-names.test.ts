import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withPartnerNames, withPartnerNamesJson } from "./partner-names.ts";

const names = new Map([
  ["VOLMACHT-A", "Volmacht A"],
  ["TUSSEN-B", 'Tussen "B" & Zn'],
]);

describe("partner names beside partner ids", () => {
  it("adds the name after each policy's partner in a serialised search answer", () => {
    const answer = {
      results: [
        {
          customerId: "c1",
          customer: { displayName: "J. Berg", note: '"partner":"VOLMACHT-A"' },
          policies: [
            { policyNumber: "P1", partner: "VOLMACHT-A", product: "RB" },
            { policyNumber: "P2", partner: "TUSSEN-B", product: "RB" },
            { policyNumber: "P3", partner: "UNKNOWN-Z", product: "RB" },
          ],
        },
      ],
      tookMs: 3,
    };
    const parsed = JSON.parse(withPartnerNamesJson(JSON.stringify(answer), names));
    expect(parsed.results[0].policies.map((p: { partnerName?: string }) => p.partnerName)).toEqual([
      "Volmacht A",
      'Tussen "B" & Zn',
      undefined,
    ]);
    // A value that merely contains the text is left alone.
    expect(parsed.results[0].customer).toEqual(answer.results[0]!.customer);
  });
  it("never changes anything but adding partnerName keys (any string values)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const doc = { policies: [{ policyNumber: a, partner: "VOLMACHT-A", product: b }], text: `${a}${b}` };
        const out = JSON.parse(withPartnerNamesJson(JSON.stringify(doc), names));
        expect(out).toEqual({ ...doc, policies: [{ ...doc.policies[0], partnerName: "Volmacht A" }] });
      }),
    );
  });
  it("names items of a list", () => {
    expect(withPartnerNames([{ partner: "TUSSEN-B" }, { partner: "X" }], names)).toEqual([
      { partner: "TUSSEN-B", partnerName: 'Tussen "B" & Zn' },
      { partner: "X" },
    ]);
  });
});

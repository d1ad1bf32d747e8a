import { describe, expect, it } from "vitest";
import { accepted, readAll } from "./support.ts";

const row = {
  policyNumber: "MC1",
  partnerCustomerNumber: "C1",
  party: { kind: "P", initials: "Z.", surname: "Öztürk", birthDate: "1990-09-09" },
  address: { country: "NL", postcode: "1016av", houseNumber: 301 },
  phones: [{ raw: "06-12345678", e164: "+31612345678" }],
  policy: {
    product: "RB-PARTICULIER",
    modules: ["CONS"],
    startDate: "2024-01-01",
    status: "actief",
    clauseCodes: [],
    household: false,
  },
};

describe("JSON Lines of the canonical model", () => {
  it("accepts canonical rows, adds the partner and normalises a Dutch postcode", async () => {
    const rows = await readAll(
      `${JSON.stringify(row)}\r\n\n${JSON.stringify({ ...row, policyNumber: "MC2" })}`,
      {
        format: "jsonl",
        partner: "MULTI-C",
      },
    );
    expect(rows.map((r) => r.line)).toEqual([1, 3]);
    expect(accepted(rows[0])).toMatchObject({ partner: "MULTI-C", address: { postcode: "1016 AV" } });
  });

  it("reports each bad line with the path of the bad field, and keeps the good ones", async () => {
    const bad = { ...row, policyNumber: "MC2", party: { ...row.party, birthDate: "09-09-1990" } };
    const noPolicy = { ...row, policy: undefined };
    const wrongPostcode = { ...row, policyNumber: "MC4", address: { country: "NL", postcode: "1234 SS" } };
    const text = [row, bad, "{ niet json", noPolicy, wrongPostcode].map((r) =>
      typeof r === "string" ? r : JSON.stringify(r),
    );
    const rows = await readAll(`${text.join("\n")}\n`, { format: "jsonl" });
    expect(
      rows.map((r) => (r.ok ? [r.line, "ok"] : [r.line, r.errors.map((e) => e.field).join(",")])),
    ).toEqual([
      [1, "ok"],
      [2, "party.birthDate"],
      [3, "(line)"],
      [4, "policy"],
      [5, "address.postcode"],
    ]);
  });

  it("rejects a line over the size limit", async () => {
    await expect(
      readAll(`${JSON.stringify(row)}\n{"x":"${"y".repeat(5000)}"}\n`, {
        format: "jsonl",
        maxRecordBytes: 1000,
      }),
    ).rejects.toThrow(/line 2 is larger than the limit/);
  });
});

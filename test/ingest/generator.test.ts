import { describe, expect, it } from "vitest";
import { type GeneratedRow, generatePortfolio, PORTFOLIO_DATE, toCsv } from "../../src/demo/generator.ts";
import { SURNAMES } from "../../src/demo/generator-names.ts";
import { normaliseDutchPostcode } from "../../src/domain/normalise/postcode.ts";
import { fold } from "../../src/domain/normalise/text.ts";
import { accepted, readAll } from "./support.ts";

const rows: GeneratedRow[] = [...generatePortfolio({ customers: 4000, seed: 42 })];
const people = [...new Map(rows.map((r) => [r.personId, r.person])).values()];

describe("synthetic Dutch portfolio", () => {
  it("is deterministic for a seed and different for another seed", () => {
    const again = [...generatePortfolio({ customers: 4000, seed: 42 })];
    expect(again.map((r) => r.columns)).toEqual(rows.map((r) => r.columns));
    const other = [...generatePortfolio({ customers: 50, seed: 43 })];
    expect(other.map((r) => r.columns)).not.toEqual(rows.slice(0, other.length).map((r) => r.columns));
  });

  it("makes exactly the number of customers asked for, each with at least one policy row", () => {
    expect(people).toHaveLength(4000);
    expect(rows.length).toBeGreaterThan(4000);
  });

  it("streams: a huge portfolio starts with the rows of a small one, made one at a time", () => {
    // Fifty million customers could not be made up front: the rows come as they are asked for, and the
    // size asked for only says where they stop.
    const huge = generatePortfolio({ customers: 50_000_000, seed: 42 });
    const first = Array.from({ length: 1000 }, () => huge.next());
    expect(first.every((r) => !r.done)).toBe(true);
    expect(first.map((r) => r.value.columns)).toEqual(rows.slice(0, 1000).map((r) => r.columns));
  });

  it("draws from a few hundred surnames, with tussenvoegsels, double-barrelled and migrant names", () => {
    expect(new Set(SURNAMES).size).toBeGreaterThanOrEqual(300);
    const surnames = new Set(people.map((p) => `${p.tussenvoegsel ?? ""} ${p.surname}`.trim()));
    expect(surnames.size).toBeGreaterThan(250);
    for (const name of ["de Jong", "van den Berg", "in 't Veld", "Yılmaz", "Çelik", "El Amrani"]) {
      expect(SURNAMES).toContain(name);
    }
    expect(people.some((p) => p.tussenvoegsel === "van der")).toBe(true);
    expect(people.some((p) => /[ëïöüçşğıé]/i.test(p.firstNames + p.surname))).toBe(true);
  });

  it("gives every person a valid Dutch postcode (never SA, SD or SS) and a house number", () => {
    for (const p of people) {
      expect(normaliseDutchPostcode(p.postcode)).toBe(p.postcode);
      expect(p.houseNumber).toBeGreaterThan(0);
    }
    expect(people.some((p) => p.addition)).toBe(true);
  });

  it("puts households at one address sharing a landline", () => {
    const byHousehold = Map.groupBy(people, (p) => p.householdId);
    const shared = [...byHousehold.values()].filter((h) => h.length > 1);
    expect(shared.length).toBeGreaterThan(200);
    for (const h of shared) {
      expect(new Set(h.map((p) => `${p.postcode} ${p.houseNumber}${p.addition ?? ""}`)).size).toBe(1);
    }
    const withLandline = shared.filter((h) => h.every((p) => p.phones.some((ph) => !ph.startsWith("+316"))));
    for (const h of withLandline) {
      const landlines = h.map((p) => p.phones.find((ph) => !ph.startsWith("+316")));
      expect(new Set(landlines).size).toBe(1);
    }
  });

  it("includes twins: same surname, address and birth date, different first names", () => {
    const twins = [
      ...Map.groupBy(people, (p) => `${p.householdId}|${p.birthDate}|${p.surname}`).values(),
    ].filter((g) => g.length === 2 && g[0]!.kind === "P");
    expect(twins.length).toBeGreaterThan(0);
    for (const [a, b] of twins) expect(a!.firstNames).not.toBe(b!.firstNames);
  });

  it("includes a father and son with the same initials at one address", () => {
    const pairs = [...Map.groupBy(people, (p) => p.householdId).values()].filter((h) =>
      h.some((a) =>
        h.some(
          (b) =>
            a !== b &&
            a.gender === "M" &&
            b.gender === "M" &&
            a.initials === b.initials &&
            a.surname === b.surname &&
            a.birthDate! < b.birthDate!,
        ),
      ),
    );
    expect(pairs.length).toBeGreaterThan(0);
  });

  it("includes companies with KvK numbers on RB-ZAKELIJK", () => {
    const companies = people.filter((p) => p.kind === "Z");
    expect(companies.length).toBeGreaterThan(100);
    for (const c of companies) {
      expect(c.kvk).toMatch(/^\d{8}$/);
      expect(c.policies.every((pol) => pol.product === "RB-ZAKELIJK")).toBe(true);
    }
  });

  it("includes ended policies, none starting after the portfolio date", () => {
    const policies = people.flatMap((p) => p.policies);
    expect(policies.filter((p) => p.endDate && p.status === "geroyeerd").length).toBeGreaterThan(100);
    expect(
      policies.every((p) => p.startDate <= PORTFOLIO_DATE && (!p.endDate || p.endDate >= p.startDate)),
    ).toBe(true);
    expect(new Set(policies.map((p) => `${p.partner}|${p.policyNumber}`)).size).toBe(policies.length);
  });

  it("insures some people through two partners, with different numbers and notations", () => {
    const twoPartners = people.filter((p) => new Set(p.policies.map((pol) => pol.partner)).size === 2);
    expect(twoPartners.length).toBeGreaterThan(100);
    const person = twoPartners.find((p) => p.tussenvoegsel || p.addition) ?? twoPartners[0]!;
    const [a, b] = rows.filter((r) => r.personId === person.personId);
    expect(a!.columns.polisnummer).not.toBe(b!.columns.polisnummer);
    expect(a!.columns.relatienummer).not.toBe(b!.columns.relatienummer);
    expect(JSON.stringify(a!.columns)).not.toBe(JSON.stringify({ ...b!.columns }));
  });

  it("every row is accepted by the standaard profile and means its ground truth", async () => {
    const csv = [...toCsv(rows, { delimiter: "," })].join("");
    const parsed = await readAll(csv);
    expect(parsed).toHaveLength(rows.length);
    parsed.forEach((result, i) => {
      const row = accepted(result);
      const truth = rows[i]!.person;
      expect(result.line).toBe(i + 2);
      expect(row.address.postcode).toBe(truth.postcode);
      expect(row.address.houseNumber).toBe(truth.houseNumber);
      expect(row.address.houseNumberAddition).toBe(truth.addition);
      expect(row.phones.map((p) => p.e164)).toEqual(truth.phones);
      if (truth.kind === "P") {
        // MULTI-C writes surnames in capitals (YILMAZ is Yılmaz) and `Van Damme` reads as van + Damme,
        // so compare the folded full surname.
        const full = (t: string | undefined, s: string | undefined) => fold(`${t ?? ""} ${s}`.trim());
        expect(full(row.party.tussenvoegsel, row.party.surname)).toBe(
          full(truth.tussenvoegsel, truth.surname),
        );
        if (truth.tussenvoegsel) expect(row.party.tussenvoegsel).toBe(truth.tussenvoegsel);
        expect(row.party.birthDate).toBe(truth.birthDate);
        expect(row.party.initials).toBe(truth.initials);
      } else {
        expect(row.party.companyName).toBe(truth.companyName);
        expect(row.party.kvk).toBe(truth.kvk);
      }
      const policy = truth.policies.find((p) => p.policyNumber === row.policyNumber)!;
      expect(row.policy).toMatchObject({
        product: policy.product,
        modules: policy.modules,
        startDate: policy.startDate,
      });
      expect(row.policy.deductible).toBe(policy.deductible);
    });
  });
});

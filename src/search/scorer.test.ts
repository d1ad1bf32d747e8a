import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Customer } from "../domain/model.ts";
import { toCustomerDoc } from "../mappings/customer-doc.ts";
import { PlaceNames } from "./place-names.ts";
import { parseQuery } from "./query-parse.ts";
import { rankCandidates } from "./rank-candidates.ts";
import { oneDigitApart, scoreCandidate } from "./scorer.ts";
import type { CustomerDoc } from "./search-engine.ts";
import { editDistance } from "./similarity.ts";

function person(
  id: string,
  p: Partial<Customer["party"]> & {
    street?: string;
    houseNumber?: number;
    addition?: string;
    postcode?: string;
    city?: string;
    phone?: string;
  },
): CustomerDoc {
  const customer: Customer = {
    customerId: id,
    party: {
      kind: "P",
      initials: p.initials,
      firstNames: p.firstNames,
      tussenvoegsel: p.tussenvoegsel,
      surname: p.surname,
      birthDate: p.birthDate,
    },
    address: {
      street: p.street ?? "Dorpsstraat",
      houseNumber: p.houseNumber ?? 12,
      houseNumberAddition: p.addition,
      postcode: p.postcode ?? "1234 AB",
      city: p.city ?? "Utrecht",
      country: "NL",
    },
    phones: p.phone ? [{ raw: p.phone, e164: p.phone }] : [],
    partnerRefs: [],
    matchKeys: [],
    deliveryIds: [],
    updatedAt: "2026-01-01T00:00:00Z",
  };
  return toCustomerDoc(customer, [], "2026-11-25");
}

const jan = person("c1", {
  firstNames: "Jan Pieter",
  surname: "Jansen",
  birthDate: "1980-03-12",
  addition: "A",
});
const score = (q: string, doc: CustomerDoc) => scoreCandidate(parseQuery({ q, limit: 10 }), doc);
const fieldsOf = (q: string, doc: CustomerDoc) => score(q, doc).matches.map((m) => `${m.field}:${m.kind}`);

describe("scoreCandidate: evidence a domain expert would weigh", () => {
  it("ranks the right spelling above a typo, a typo above a stranger", () => {
    expect(score("jansen", jan).score).toBeGreaterThan(score("jansne", jan).score);
    expect(score("jansne", jan).score).toBeGreaterThan(score("pietersen", jan).score);
    expect(fieldsOf("jansne", jan)).toContain("surname:typo");
  });

  it("says how a name matched: exact, folded (diacritics), phonetic, prefix", () => {
    const celik = person("c2", { surname: "Çelik" });
    expect(fieldsOf("çelik", celik)).toContain("surname:exact");
    expect(fieldsOf("celik", celik)).toContain("surname:folded");
    const meijer = person("c3", { surname: "Meijer" });
    expect(fieldsOf("meyer", meijer)).toContain("surname:phonetic");
    expect(fieldsOf("jans", jan)).toContain("surname:prefix");
  });

  it("matches an initial to a first name (J. is Jan) and a contradicting initial lowers the score", () => {
    expect(fieldsOf("J. Jansen", jan)).toContain("initials:exact");
    expect(score("J.P. Jansen", jan).score).toBeGreaterThan(score("Jansen", jan).score);
    expect(score("K. Jansen", jan).score).toBeLessThan(score("Jansen", jan).score);
  });

  it("prefers the customer who goes by the first name given (roepnaam) and has exactly the initials given", () => {
    const pieter = person("c7", { firstNames: "Pieter Willem", surname: "Koopman", initials: "P.W." });
    const cornelis = person("c8", { firstNames: "Cornelis Pieter", surname: "Koopman", initials: "C.P." });
    expect(score("pieter koopman", pieter).score).toBeGreaterThan(score("pieter koopman", cornelis).score);
    const e = person("c10", { firstNames: "Eline", surname: "Schreurs", initials: "E." });
    const ek = person("c11", { firstNames: "Elif Kim", surname: "Schreurs", initials: "E.K." });
    expect(score("E. Schreurs", e).score).toBeGreaterThan(score("E. Schreurs", ek).score);
  });

  it("weighs a first name the customer does not have against them (Manon Gerrits… is not Lisa Gerrits)", () => {
    const manon = person("c15", { firstNames: "Manon", surname: "Gerritsen", birthDate: "1984-02-02" });
    const lisa = person("c16", { firstNames: "Lisa", surname: "Gerrits", birthDate: "1984-02-02" });
    expect(score("02-02-1984 manon gerrits", manon).score).toBeGreaterThan(
      score("02-02-1984 manon gerrits", lisa).score,
    );
  });

  it("forgives a typo in a sound-alike spelling, a little less than a plain typo", () => {
    const bosch = person("c12", { surname: "Bosch" });
    expect(fieldsOf("bosg", bosch)).toContain("surname:typo");
    const kuipers = person("c13", { surname: "Kuipers" });
    const kuijpers = person("c14", { surname: "Kuijpers" });
    expect(score("kupers", kuipers).score).toBeGreaterThan(score("kupers", kuijpers).score);
  });

  it("finds a double surname by either half, and scores both halves higher", () => {
    const dbl = person("c4", { surname: "Jansen-de Vries" });
    expect(fieldsOf("vries", dbl)).toContain("surname:exact");
    expect(fieldsOf("jansen", dbl)).toContain("surname:exact");
    expect(score("jansen-de vries", dbl).score).toBeGreaterThan(score("jansen", dbl).score);
  });

  it("never penalises a missing tussenvoegsel much, and rewards a matching one", () => {
    const berg = person("c5", { tussenvoegsel: "van der", surname: "Berg" });
    expect(score("berg", berg).score).toBeGreaterThan(score("van der berg", berg).score - 2);
    expect(score("Berg, van der", berg).score).toBeGreaterThan(score("berg", berg).score);
    expect(score("vandenberg", berg).matches.some((m) => m.field === "surname")).toBe(true);
  });

  it("weighs birth dates: exact > swapped day/month ≈ one digit off > absent > different", () => {
    const exact = score("jansen 12-03-1980", jan).score;
    const swapped = score("jansen 03-12-1980", jan).score;
    const digit = score("jansen 12-03-1981", jan).score;
    const absent = score("jansen", jan).score;
    const other = score("jansen 15-07-1962", jan).score;
    expect(exact).toBeGreaterThan(swapped);
    expect(swapped).toBeGreaterThan(absent);
    expect(digit).toBeGreaterThan(absent);
    expect(other).toBeLessThan(absent);
  });

  it("weighs addresses: postcode + house number with addition > without addition > area only", () => {
    const full = score("jansen 1234ab 12a", jan).score;
    const noAddition = score("jansen 1234ab 12", jan).score;
    const area = score("jansen 1234", jan).score;
    expect(full).toBeGreaterThan(noAddition);
    expect(noAddition).toBeGreaterThan(area);
    expect(area).toBeGreaterThan(score("jansen", jan).score);
    expect(score("jansen 9999zz 12a", jan).score).toBeLessThan(score("jansen", jan).score);
  });

  it("identifies by a policy number alone, by a phone alone, and by name + birth date", () => {
    const withPolicy = { ...jan, policyNumbers: ["RB00012345"] };
    expect(score("RB-00012345", withPolicy).confidence).toBeGreaterThan(0.9);
    const withPhone = person("c6", { surname: "Bakker", phone: "+31612345678" });
    expect(score("06-12345678", withPhone).confidence).toBeGreaterThan(0.3);
    expect(score("jansen 12-03-1980", jan).confidence).toBeGreaterThan(0.9);
    expect(score("jansen", jan).confidence).toBeLessThan(0.5);
  });
});

describe("rankCandidates", () => {
  const twin = person("c0", {
    firstNames: "Piet",
    surname: "Jansen",
    birthDate: "1980-03-12",
    addition: "A",
  });
  const stranger = person("c9", { surname: "Pietersen", birthDate: "1975-01-01" });

  it("orders best first, breaks ties by customerId, and never reports twins as certain", () => {
    const q = parseQuery({ q: "jansen 1234ab 12a", limit: 10 });
    const ranked = rankCandidates(q, [stranger, jan, twin], 10);
    expect(ranked.map((r) => r.doc.customerId)).toEqual(["c0", "c1", "c9"]);
    expect(ranked[0]!.confidence).toBeLessThanOrEqual(0.5);
  });

  it("lets the first name separate the twins, with high confidence", () => {
    const ranked = rankCandidates(
      parseQuery({ q: "jan jansen 1234ab 12a", limit: 10 }),
      [twin, jan, stranger],
      10,
    );
    expect(ranked[0]!.doc.customerId).toBe("c1");
    expect(ranked[0]!.confidence).toBeGreaterThan(0.9);
  });

  it("keeps at most `limit` results and each customer once", () => {
    const ranked = rankCandidates(parseQuery({ q: "jansen", limit: 10 }), [jan, jan, twin, stranger], 2);
    expect(ranked).toHaveLength(2);
    expect(new Set(ranked.map((r) => r.doc.customerId)).size).toBe(2);
  });
});

describe("birth dates one edit apart", () => {
  const digits = (d: string) => d.replace(/-/g, "");
  const iso = fc
    .tuple(
      fc.integer({ min: 1900, max: 2026 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
    )
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
  // Near dates: digits changed or neighbouring digits swapped, so every outcome is well represented.
  const near = fc
    .tuple(iso, fc.array(fc.tuple(fc.nat(7), fc.nat(9), fc.boolean()), { maxLength: 3 }))
    .map(([d, edits]) => {
      const ds = digits(d).split("");
      for (const [at, digit, swap] of edits) {
        if (swap && at < 7) [ds[at], ds[at + 1]] = [ds[at + 1]!, ds[at]!];
        else ds[at] = String(digit);
      }
      const s = ds.join("");
      return [d, `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`] as const;
    });

  it("agrees with the edit distance of their digits", () => {
    fc.assert(
      fc.property(near, ([a, b]) => {
        expect(oneDigitApart(a, b)).toBe(editDistance(digits(a), digits(b), 1) <= 1);
      }),
      { numRuns: 5000 },
    );
  });

  it("counts a swap of neighbouring digits across a dash as one edit", () => {
    expect(oneDigitApart("1985-12-03", "1981-52-03")).toBe(true);
    expect(oneDigitApart("1985-12-03", "1985-21-03")).toBe(true);
    expect(oneDigitApart("1985-12-03", "1985-12-30")).toBe(true);
    expect(oneDigitApart("1985-12-03", "1958-12-30")).toBe(false);
    expect(oneDigitApart("1985-12-03", "1985-12-04")).toBe(true);
    expect(oneDigitApart("1985-12-03", "1985-11-04")).toBe(false);
  });
});

describe("scoreCandidate: the place, street and house number typed", () => {
  const places = new PlaceNames(["'s-gravenhage", "utrecht"]);
  const typed = (text: string) =>
    parseQuery({ q: text, limit: 10 }, new Date(Date.UTC(2026, 10, 25)), places);
  const resident = person("r", { firstNames: "Hendrik", surname: "Timmermans", city: "'s-Gravenhage" });
  const elsewhere = person("e", { firstNames: "Hendrik", surname: "Timmerman", city: "Utrecht" });

  it("ranks the one living in the place typed above a namesake elsewhere, in any notation of the place", () => {
    for (const q of [
      "Hendrik Timmerm 's-Gravenhage",
      "Hendrik Timmerm Den Haag",
      "Den Haag Hendrik Timmerm",
    ]) {
      const ranked = rankCandidates(typed(q), [elsewhere, resident], 2);
      expect(
        ranked.map((r) => r.doc.customerId),
        q,
      ).toEqual(["r", "e"]);
      expect(ranked[0]!.matches).toContainEqual({ field: "city", kind: "exact" });
    }
  });

  it("weighs a surname cut short by the letters typed: a longer start beats a sound-alike", () => {
    const kuijpers = person("k1", { firstNames: "Anita", surname: "Kuijpers" });
    const kuiper = person("k2", { firstNames: "Anita", surname: "Kuiper" });
    expect(rankCandidates(typed("Anita Kuijp"), [kuiper, kuijpers], 2)[0]!.doc.customerId).toBe("k1");
    expect(scoreCandidate(typed("Anita Kuijpe"), kuijpers).score).toBeGreaterThan(
      scoreCandidate(typed("Anita Kui"), kuijpers).score,
    );
  });

  it("takes a street with its house number as an address, and a street the customer does not live on against them", () => {
    const there = person("s1", {
      surname: "Bosman",
      street: "Lange Nieuwstraat",
      houseNumber: 21,
      city: "Utrecht",
    });
    const namesake = person("s2", {
      surname: "de Lange",
      street: "Irisstraat",
      houseNumber: 69,
      city: "Utrecht",
    });
    const ranked = rankCandidates(typed("lange nieuwstraat 21 utrecht"), [namesake, there], 2);
    expect(ranked.map((r) => r.doc.customerId)).toEqual(["s1", "s2"]);
  });

  describe("a place still being typed after the name", () => {
    const towns = new PlaceNames([
      "'s-gravenhage",
      "den haag",
      "s-gravenhage",
      "amsterdam",
      "rotterdam",
      "den helder",
    ]);
    const typing = (text: string) =>
      parseQuery({ q: text, limit: 10 }, new Date(Date.UTC(2026, 10, 25)), towns);
    const maria = person("m", { firstNames: "Maria Petronella", surname: "Zwart", city: "Amsterdam" });
    const annie = person("a", { firstNames: "Maria Annie", surname: "Zwart", city: "Rotterdam" });

    it("reads the letters after a first name and surname as the start of the place, not a second first name", () => {
      for (const q of ["Maria Zwart A", "Maria Zwart Am", "Maria Zwart Amst"])
        expect(
          rankCandidates(typing(q), [annie, maria], 2).map((r) => r.doc.customerId),
          q,
        ).toEqual(["m", "a"]);
      expect(scoreCandidate(typing("Maria Zwart A"), maria).matches).toContainEqual({
        field: "city",
        kind: "prefix",
      });
    });

    it("keeps a first name typed after a surname alone a first name (`Zwart A` may be Annie Zwart)", () => {
      const anna = person("n", { firstNames: "Anna", surname: "Zwart", city: "Rotterdam" });
      const piet = person("p", { firstNames: "Piet", surname: "Zwart", city: "Amsterdam" });
      expect(rankCandidates(typing("Zwart A"), [piet, anna], 2)[0]!.doc.customerId).toBe("n");
    });

    it("takes `den` and `'s` typed last as the start of a place, by any of its names", () => {
      const haag = person("h", { firstNames: "Rob", surname: "Haverkamp", city: "Den Haag" });
      const helder = person("d", { firstNames: "Hans Rob", surname: "Haverkamp", city: "Den Helder" });
      expect(rankCandidates(typing("Rob Haverkamp Den H"), [helder, haag], 2)[0]!.doc.customerId).toBe("h");
      const vries = person("v", {
        firstNames: "Rob",
        tussenvoegsel: "de",
        surname: "Haverkamp",
        city: "Rotterdam",
      });
      expect(rankCandidates(typing("Rob Haverkamp De"), [vries, haag], 2)[0]!.doc.customerId).toBe("h");
      expect(rankCandidates(typing("Rob Haverkamp '"), [vries, haag], 2)[0]!.doc.customerId).toBe("h");
    });

    it("prefers, between two in the same place, the one whose place the data writes as typed", () => {
      const quoted = person("q", { firstNames: "Lotte", surname: "López", city: "'S-GRAVENHAGE" });
      const plain = person("s", { firstNames: "Lotte", surname: "López", city: "s-Gravenhage" });
      expect(rankCandidates(typing("Lotte López s-G"), [quoted, plain], 2)[0]!.doc.customerId).toBe("s");
      expect(rankCandidates(typing("Lotte López 's-G"), [plain, quoted], 2)[0]!.doc.customerId).toBe("q");
    });
  });

  it("does not take a short word that differs in its first letter for a typo (hoor is not noor)", () => {
    const noor = person("n", { firstNames: "Noor", surname: "Koning" });
    expect(scoreCandidate(typed("hoor koning"), noor).matches).not.toContainEqual({
      field: "firstNames",
      kind: "typo",
    });
  });
});

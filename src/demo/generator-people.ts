import { fold } from "../domain/normalise/text.ts";
import {
  COMPANY_PATTERNS,
  FIRST_NAMES_BY_ERA,
  type FirstName,
  rareSurname,
  SURNAMES,
} from "./generator-names.ts";
import { CITIES, EMAIL_DOMAINS, STREETS } from "./generator-places.ts";
import type { Rng } from "./generator-prng.ts";

/** A policy of a generated customer, in clean form (what the delivered row means). */
export interface GeneratedPolicy {
  partner: string;
  policyNumber: string;
  /** Relatienummer at that partner. */
  partnerCustomerNumber: string;
  product: "RB-PARTICULIER" | "RB-ZAKELIJK";
  modules: string[];
  conditionsCode: string;
  clauseCodes: string[];
  startDate: string;
  endDate?: string;
  status: "actief" | "geroyeerd" | "geschorst";
  deductible?: number;
  household: boolean;
}

/** A generated policyholder: the ground truth a delivered row is a (noisy) notation of. */
export interface GeneratedPerson {
  /** Ground-truth identity: every row of this person, at any partner, carries it. */
  personId: string;
  householdId: string;
  kind: "P" | "Z";
  /** Voorletters, `J.P.` style. Empty for a company. */
  initials: string;
  /** Voornamen, all given names. Empty for a company. */
  firstNames: string;
  tussenvoegsel?: string;
  surname: string;
  gender?: "M" | "V";
  birthDate?: string;
  companyName?: string;
  kvk?: string;
  street: string;
  houseNumber: number;
  addition?: string;
  /** `1234 AB`. */
  postcode: string;
  city: string;
  /** E.164; mobile first when there is one. A household's landline is shared. */
  phones: string[];
  email?: string;
  policies: GeneratedPolicy[];
}

/** A household's shared address and landline. */
interface Home {
  householdId: string;
  street: string;
  houseNumber: number;
  addition?: string;
  postcode: string;
  city: string;
  landline?: string;
}

const SURNAME_LIST = [...new Set(SURNAMES)];
const NOT_ISSUED = new Set(["SA", "SD", "SS"]);
const LETTERS = [..."ABCDEFGHJKLMNPRSTVWXZ"];

/** Makes the people of one household: the first is a person or company, the others share the home. */
export function makeHousehold(rng: Rng, householdNo: number, ids: () => string): GeneratedPerson[] {
  const home = makeHome(rng, householdNo);
  if (rng.chance(0.07)) return [makeCompany(rng, home, ids())];
  const birthYear = rng.int(1936, 2006);
  const first = makePerson(rng, home, ids(), { birthYear });
  const people = [first];
  if (first.birthDate! < "2004-01-01" && rng.chance(0.35)) {
    const sex = rng.chance(0.95) ? (first.gender === "M" ? "V" : "M") : first.gender!;
    const surname = rng.chance(0.2)
      ? { tussenvoegsel: first.tussenvoegsel, surname: first.surname }
      : undefined;
    people.push(makePerson(rng, home, ids(), { birthYear: birthYear + rng.int(-6, 6), sex, surname }));
  }
  const father = people.find((p) => p.gender === "M") ?? first;
  const childYear = Number(father.birthDate!.slice(0, 4)) + rng.int(22, 34);
  if (childYear <= 2007 && rng.chance(0.07)) {
    const sex = rng.chance(0.5) ? "M" : "V";
    // Father and son with the same initials at one address: a near-miss that must stay two customers.
    const sameInitials = sex === "M" && father.gender === "M" && rng.chance(0.4);
    people.push(
      makePerson(rng, home, ids(), {
        birthYear: childYear,
        sex,
        surname: { tussenvoegsel: father.tussenvoegsel, surname: father.surname },
        initialsLike: sameInitials ? father.firstNames : undefined,
      }),
    );
  }
  if (childYear <= 2007 && rng.chance(0.012)) {
    // Twins: same surname, address and birth date, different first names.
    const twin = makePerson(rng, home, ids(), {
      birthYear: childYear,
      surname: { tussenvoegsel: father.tussenvoegsel, surname: father.surname },
    });
    let other = makePerson(rng, home, ids(), {
      birthYear: childYear,
      surname: { tussenvoegsel: father.tussenvoegsel, surname: father.surname },
    });
    for (let i = 0; i < 5 && other.firstNames === twin.firstNames; i++) {
      other = { ...other, ...namesFor(rng, childYear, rng.chance(0.5) ? "M" : "V") };
    }
    other.birthDate = twin.birthDate;
    people.push(twin, other);
  }
  return people;
}

function makeHome(rng: Rng, householdNo: number): Home {
  const city = rng.weighted(CITIES, (c) => c.weight);
  let letters = "";
  do letters = rng.pick(LETTERS) + rng.pick(LETTERS);
  while (NOT_ISSUED.has(letters));
  const postcode = `${rng.int(city.postcodes[0], city.postcodes[1])} ${letters}`;
  // One postcode is one stretch of one street, so the street follows from the postcode.
  const street = STREETS[hash(postcode) % STREETS.length]!;
  const r = rng.next();
  const addition =
    r < 0.08
      ? rng.pick(["A", "B", "C", "D"])
      : r < 0.12
        ? rng.pick(["1", "2", "3", "HS"])
        : r < 0.125
          ? "BIS"
          : undefined;
  const home: Home = {
    householdId: `H${String(householdNo).padStart(7, "0")}`,
    street,
    houseNumber: rng.int(1, rng.chance(0.8) ? 80 : 350),
    postcode,
    city: city.name,
  };
  if (addition) home.addition = addition;
  if (rng.chance(0.4))
    home.landline = `+31${city.areaCode}${rng.int(1, 9)}${rng.digits(8 - city.areaCode.length)}`;
  return home;
}

interface PersonSpec {
  birthYear: number;
  sex?: "M" | "V";
  surname?: { tussenvoegsel?: string; surname: string };
  /** Give first names with the same initials as these. */
  initialsLike?: string;
}

function makePerson(rng: Rng, home: Home, personId: string, spec: PersonSpec): GeneratedPerson {
  const year = Math.min(2007, Math.max(1930, spec.birthYear));
  const sex = spec.sex ?? (rng.chance(0.5) ? "M" : "V");
  const surname = spec.surname ?? longTail(splitPrefix(rng.pick(SURNAME_LIST)), personId);
  const names = spec.initialsLike
    ? sameInitials(rng, spec.initialsLike, year, sex)
    : namesFor(rng, year, sex);
  const birthDate = `${year}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  const person: GeneratedPerson = {
    personId,
    householdId: home.householdId,
    kind: "P",
    ...names,
    surname: surname.surname,
    gender: sex,
    birthDate,
    ...address(home),
    phones: [],
    policies: [],
  };
  if (surname.tussenvoegsel) person.tussenvoegsel = surname.tussenvoegsel;
  if (rng.chance(0.8)) person.phones.push(`+316${rng.int(1, 5)}${rng.digits(7)}`);
  if (home.landline) person.phones.push(home.landline);
  if (rng.chance(0.65)) {
    const local = [
      fold(names.firstNames.split(" ")[0]!),
      fold(`${surname.tussenvoegsel ?? ""}${surname.surname}`),
    ]
      .map((s) => s.replace(/[^a-z0-9]/g, ""))
      .join(rng.chance(0.7) ? "." : "");
    person.email = `${local}${rng.chance(0.3) ? rng.int(1, 99) : ""}@${rng.pick(EMAIL_DOMAINS)}`;
  }
  return person;
}

function makeCompany(rng: Rng, home: Home, personId: string): GeneratedPerson {
  const owner = splitPrefix(rng.pick(SURNAME_LIST));
  const display = owner.tussenvoegsel
    ? `${owner.tussenvoegsel[0]!.toUpperCase()}${owner.tussenvoegsel.slice(1)} ${owner.surname}`
    : owner.surname;
  const companyName = rng.pick(COMPANY_PATTERNS).replace("{s}", display).replace("{c}", home.city);
  const slug = fold(companyName)
    .replace(/[^a-z0-9]+/g, "")
    .slice(0, 30);
  return {
    personId,
    householdId: home.householdId,
    kind: "Z",
    initials: "",
    firstNames: "",
    surname: "",
    companyName,
    kvk: `${rng.int(1, 9)}${rng.digits(7)}`,
    ...address(home),
    phones: [home.landline ?? `+316${rng.int(1, 5)}${rng.digits(7)}`],
    email: `info@${slug}.nl`,
    policies: [],
  };
}

function address(home: Home) {
  const a: Pick<GeneratedPerson, "street" | "houseNumber" | "addition" | "postcode" | "city"> = {
    street: home.street,
    houseNumber: home.houseNumber,
    postcode: home.postcode,
    city: home.city,
  };
  if (home.addition) a.addition = home.addition;
  return a;
}

/** First names (one to three; older generations carry more) and the initials they give. */
export function namesFor(rng: Rng, year: number, sex: "M" | "V"): { firstNames: string; initials: string } {
  const pool = eraNames(year).filter((n) => n.sex === sex);
  const count = year < 1960 ? rng.int(1, 3) : rng.chance(0.6) ? 2 : 1;
  const chosen: string[] = [];
  while (chosen.length < count) {
    const n = rng.pick(pool).name;
    if (!chosen.includes(n)) chosen.push(n);
  }
  return { firstNames: chosen.join(" "), initials: chosen.map((n) => `${n[0]}.`).join("") };
}

function sameInitials(rng: Rng, like: string, year: number, sex: "M" | "V") {
  const pool = [...eraNames(year), ...eraNames(year - 30)].filter((n) => n.sex === sex);
  const chosen = like.split(" ").map((old) => {
    const options = pool.filter((n) => n.name[0] === old[0] && n.name !== old).map((n) => n.name);
    return options.length > 0 ? rng.pick(options) : old;
  });
  return { firstNames: chosen.join(" "), initials: chosen.map((n) => `${n[0]}.`).join("") };
}

function eraNames(year: number): FirstName[] {
  const era = FIRST_NAMES_BY_ERA.find((e) => year >= e.from && year <= e.to);
  return (era ?? (year < 1930 ? FIRST_NAMES_BY_ERA[0] : FIRST_NAMES_BY_ERA.at(-1)))!.names;
}

/** One person in this many founding a family carries a surname of the long tail. */
const RARE_ONE_IN = 12;

/**
 * The surname drawn, or for some people (chosen by their id, so the generator's draws stay the same)
 * a surname of the long tail: the frequent names alone make every surname common in every place.
 */
function longTail(drawn: { tussenvoegsel?: string; surname: string }, personId: string) {
  let h = 2166136261;
  for (let i = 0; i < personId.length; i++) h = Math.imul(h ^ personId.charCodeAt(i), 16777619);
  h >>>= 0;
  return h % RARE_ONE_IN === 0 ? { surname: rareSurname(Math.floor(h / RARE_ONE_IN)) } : drawn;
}

/** Splits `van der Berg` into its tussenvoegsel and surname (the list writes prefixes in lower case). */
export function splitPrefix(full: string): { tussenvoegsel?: string; surname: string } {
  const m = /^((?:[a-z']+ )+)(\S.*)$/.exec(full);
  return m ? { tussenvoegsel: m[1]!.trim(), surname: m[2]! } : { surname: full };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const pad = (n: number) => String(n).padStart(2, "0");

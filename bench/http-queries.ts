import type { GeneratedRow, PortfolioOptions } from "../src/demo/generator.ts";

/** One request of the http bench's mix. */
export interface BenchQuery {
  path: "/v1/search" | "/v1/callers";
  body: Record<string, unknown>;
}

/** The http bench's portfolio (with `customers` added): the data `BENCH_DIR` keeps is made from it. */
export const HTTP_BENCH_PORTFOLIO: Omit<PortfolioOptions, "customers"> = {
  seed: 4242,
  partners: ["VOLMACHT-A"],
};

/**
 * The requests asked for the `n`-th generated row: for one person in 25 (the rest only fills the
 * index) name + postcode + house number, initials + name + birth date, name + postcode as typed, and
 * a caller lookup by the first phone. Shared by `http-search.ts` and `search-ab.ts`, so both send the
 * same mix.
 */
export function benchQueriesOf(row: GeneratedRow, n: number): BenchQuery[] {
  if (n % 25 !== 0 || row.person.kind !== "P") return [];
  const p = row.person;
  const surname = [p.tussenvoegsel, p.surname].filter(Boolean).join(" ");
  const out: BenchQuery[] = [
    {
      path: "/v1/search",
      body: { name: surname, postcode: p.postcode, houseNumber: `${p.houseNumber}${p.addition ?? ""}` },
    },
  ];
  if (p.birthDate)
    out.push({
      path: "/v1/search",
      body: { q: `${p.initials} ${surname} ${p.birthDate.split("-").reverse().join("-")}` },
    });
  out.push({ path: "/v1/search", body: { q: `${surname} ${p.postcode.replace(" ", "").toLowerCase()}` } });
  if (p.phones[0]) out.push({ path: "/v1/callers", body: { phone: p.phones[0] } });
  return out;
}

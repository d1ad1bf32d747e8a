/**
 * `npm run bench -- search-specificity`: CPU time the API spends per search on the minimum-specificity
 * rule (docs/security.md): parsing the query's attributes and reading the best result's matches out of
 * a 10-result JSON answer, without the search itself.
 */
import { cpus } from "node:os";
import {
  firstMatchesOfJson,
  isSpecific,
  kindsOfMatches,
  kindsOfQuery,
} from "../src/api/search-specificity.ts";
import { parseQuery } from "../src/search/query-parse.ts";

const result = (i: number) => ({
  customerId: `c${i}`,
  score: 9.1,
  confidence: 0.93,
  matches: [
    { field: "surname", kind: "exact" },
    { field: "birthDate", kind: "exact" },
  ],
  customer: {
    kind: "P",
    displayName: "J. van der Berg",
    initials: "J.",
    surname: "Berg",
    birthDate: "1975-03-12",
    address: { street: "Kerkstraat", houseNumber: 12, postcode: "1234 AB", city: "Amsterdam", country: "NL" },
    phones: ["+31612345678"],
    email: "jan@example.nl",
  },
  policies: [
    {
      policyNumber: "VA-1001",
      partner: "VOLMACHT-A",
      product: "RB-PARTICULIER",
      status: "actief",
      startDate: "2023-01-01",
      endDate: null,
      modules: ["CONS", "WON"],
    },
  ],
});
const json = JSON.stringify({
  results: Array.from({ length: 10 }, (_, i) => result(i)),
  hasMore: true,
  tookMs: 3,
});
const input = { q: "j van der berg 12-03-1975", limit: 10 };
const N = 200_000;
let specific = 0;
const runs: number[] = [];
for (let run = 0; run < 5; run++) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const matches = isSpecific(kindsOfQuery(parseQuery(input))) ? firstMatchesOfJson(json) : undefined;
    if (matches && isSpecific(kindsOfMatches(matches))) specific++;
  }
  const used = process.cpuUsage(t0);
  runs.push((used.user + used.system) / N);
}
runs.sort((a, b) => a - b);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}; node ${process.version}`);
console.log(`answer ${json.length} bytes; ${specific} of ${5 * N} judged specific`);
console.log(
  `CPU µs per search: median ${runs[2]!.toFixed(1)} (runs ${runs.map((r) => r.toFixed(1)).join(", ")})`,
);

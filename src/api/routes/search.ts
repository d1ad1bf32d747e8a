import { Hono } from "hono";
import { z } from "zod";
import { SearchInput, SearchResponse, SearchResult } from "../../search/customer-search.ts";
import { parseQuery } from "../../search/query-parse.ts";
import type { AppEnv } from "../context.ts";
import { namedSearchAnswer } from "../partner-names.ts";
import { jsonBody, type RouteDeps, readJson } from "../route-deps.ts";
import {
  firstMatchesOfJson,
  isSpecific,
  kindsOfMatches,
  kindsOfQuery,
  RESTRICTED_MAX_RESULTS,
  restrictAnswer,
} from "../search-specificity.ts";

/** A restricted answer (a query that cannot identify anyone): names and places to pick from. */
export const RestrictedSearchResponse = z.object({
  restricted: z.literal(true),
  results: z
    .array(
      SearchResult.pick({ customerId: true, score: true, confidence: true, matches: true }).extend({
        customer: z.object({
          kind: z.enum(["P", "Z"]),
          displayName: z.string(),
          address: z.object({ city: z.string().optional(), country: z.string() }),
        }),
        policies: z.array(z.never()).max(0),
      }),
    )
    .max(RESTRICTED_MAX_RESULTS),
  hasMore: z.boolean(),
  tookMs: z.number(),
});

/** `POST /v1/search` (agent): ranked customer search; personal data only in the body. */
export function searchRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "post",
    path: "/v1/search",
    summary: "Search customers by free text and/or structured fields",
    description:
      "A search that cannot identify anyone (a single letter, a city alone, a first name or a surname " +
      "alone) answers `restricted: true` with at most 10 results holding only a display name and a city, " +
      "until a second attribute is given (a policy number, phone number or e-mail address identifies " +
      "alone; else two kinds of attribute, one of them personal: surname, first name, birth date; or a " +
      "whole address). The best result must have matched such a combination too. See docs/security.md.",
    roles: ["agent"],
    body: SearchInput,
    responses: {
      200: {
        description: "Ranked results, best first (or a restricted answer)",
        schema: z.union([SearchResponse, RestrictedSearchResponse]),
      },
    },
  });
  app.post("/v1/search", d.role("agent"), d.audited, async (c) => {
    const input = await readJson(c, SearchInput);
    const { limit: _limit, ...searched } = input;
    const fields = Object.keys(searched).sort();
    c.set("auditInfo", { fields, query: searched, customerIds: [] });
    const specificQuery = isSpecific(kindsOfQuery(parseQuery(input)));
    const asked = specificQuery ? input : { ...input, limit: Math.min(input.limit, RESTRICTED_MAX_RESULTS) };
    const end = d.metrics.searchDuration.startTimer({ kind: "search" });
    const serialised = d.services.serialisedSearch;
    const options = { signal: c.get("signal") };
    const answer = serialised
      ? await serialised.search(asked, options)
      : await d.services.search.search(asked, options);
    end();
    // Judged on what the best result matched too: a junk second attribute (a phone nobody has) lifts nothing.
    const firstMatches = "json" in answer ? firstMatchesOfJson(answer.json) : answer.results[0]?.matches;
    const restricted =
      !specificQuery || (firstMatches !== undefined && !isSpecific(kindsOfMatches(firstMatches)));
    if (!restricted) {
      c.set("auditInfo", {
        fields,
        query: searched,
        customerIds: "json" in answer ? answer.customerIds : answer.results.map((r) => r.customerId),
      });
      const named = namedSearchAnswer(answer, await d.services.partners.names());
      return "json" in named ? jsonBody(c, named.json) : c.json(named);
    }
    const full = "json" in answer ? (JSON.parse(answer.json) as SearchResponse) : answer;
    const cut = restrictAnswer(full);
    c.set("auditInfo", {
      fields,
      query: searched,
      customerIds: cut.results.map((r) => r.customerId),
      reason: "SEARCH_RESTRICTED",
    });
    return c.json(cut);
  });
  return app;
}

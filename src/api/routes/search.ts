import { Hono } from "hono";
import { SearchInput, SearchResponse } from "../../search/customer-search.ts";
import type { AppEnv } from "../context.ts";
import { jsonBody, type RouteDeps, readJson } from "../route-deps.ts";

/** `POST /v1/search` (agent): ranked customer search; personal data only in the body. */
export function searchRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "post",
    path: "/v1/search",
    summary: "Search customers by free text and/or structured fields",
    roles: ["agent"],
    body: SearchInput,
    responses: { 200: { description: "Ranked results, best first", schema: SearchResponse } },
  });
  app.post("/v1/search", d.role("agent"), d.audited, d.rateLimited, async (c) => {
    const input = await readJson(c, SearchInput);
    const { limit: _limit, ...searched } = input;
    c.set("auditInfo", { fields: Object.keys(searched).sort(), query: searched, customerIds: [] });
    const end = d.metrics.searchDuration.startTimer({ kind: "search" });
    const serialised = d.services.serialisedSearch;
    const options = { signal: c.get("signal") };
    const answer = serialised
      ? await serialised.search(input, options)
      : await d.services.search.search(input, options);
    end();
    c.set("auditInfo", {
      fields: Object.keys(searched).sort(),
      query: searched,
      customerIds: "json" in answer ? answer.customerIds : answer.results.map((r) => r.customerId),
    });
    return "json" in answer ? jsonBody(c, answer.json) : c.json(answer);
  });
  return app;
}

import { Hono } from "hono";
import { z } from "zod";
import { SearchResponse } from "../../search/customer-search.ts";
import type { AppEnv } from "../context.ts";
import { namedSearchAnswer } from "../partner-names.ts";
import { jsonBody, type RouteDeps, readJson } from "../route-deps.ts";

/** Body of `POST /v1/callers`: the caller's number in any common notation. */
export const CallerInput = z
  .object({
    phone: z.string().trim().min(1).max(30),
    limit: z.number().int().min(1).max(50).default(10),
  })
  .strict();

/** `POST /v1/callers` (agent): who is calling, by phone number. */
export function callerRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "post",
    path: "/v1/callers",
    summary: "Identify a caller by phone number",
    roles: ["agent"],
    body: CallerInput,
    responses: { 200: { description: "Customers with this number, best first", schema: SearchResponse } },
  });
  app.post("/v1/callers", d.role("agent"), d.audited, async (c) => {
    const input = await readJson(c, CallerInput);
    c.set("auditInfo", { fields: ["phone"], query: { phone: input.phone }, customerIds: [] });
    const end = d.metrics.searchDuration.startTimer({ kind: "callers" });
    const serialised = d.services.serialisedSearch;
    const options = { signal: c.get("signal") };
    const answer = serialised
      ? await serialised.callers(input.phone, input.limit, options)
      : await d.services.search.callers(input.phone, input.limit, options);
    end();
    c.set("auditInfo", {
      fields: ["phone"],
      query: { phone: input.phone },
      customerIds: "json" in answer ? answer.customerIds : answer.results.map((r) => r.customerId),
    });
    const named = namedSearchAnswer(answer, await d.services.partners.names());
    return "json" in named ? jsonBody(c, named.json) : c.json(named);
  });
  return app;
}

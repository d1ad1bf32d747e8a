import { Hono } from "hono";
import { z } from "zod";
import { Partner, PartnerId, PartnerInput, PartnerType } from "../../domain/partner.ts";
import { unknownPartner } from "../../partners/partner-registry.ts";
import { partnerQuality } from "../../quality/quality-service.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readId, readJson, readQuery } from "../route-deps.ts";

/** Query of the quality report: months of usage shown (default 6). */
const QualityQuery = z.object({ months: z.coerce.number().int().min(1).max(24).default(6) }).strict();

/** What an agent sees of a partner (to show its name). */
export const PartnerListing = z.object({ id: z.string(), name: z.string(), type: PartnerType });

/** `PUT /v1/partners/{id}` (admin), `GET /v1/partners` (admin; agents: names), `GET /v1/partners/{id}` (admin). */
export function partnerRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  const readPartnerId = (c: Parameters<typeof readId>[0]) => {
    const id = readId(c, "id");
    if (!PartnerId.safeParse(id).success) throw unknownPartner(id);
    return id;
  };

  d.api.add({
    method: "put",
    path: "/v1/partners/{id}",
    summary: "Register a partner or replace its record",
    description:
      "The whole record is replaced. Without `agreementSignedOn` (the date the supplementary VRA agreement " +
      "was signed) the partner's deliveries are refused (PARTNER_AGREEMENT_MISSING); phases `gepauzeerd` " +
      "and `beeindigd` refuse them too (PARTNER_INACTIVE). A record an upgrade registered (`review`) is " +
      "completed by this call.",
    roles: ["admin"],
    params: { id: "Partner code, as deliveries and ingest tokens name it" },
    body: PartnerInput,
    responses: { 200: { description: "The stored partner", schema: Partner } },
  });
  app.put("/v1/partners/:id", d.role("admin"), async (c) => {
    const id = readPartnerId(c);
    const input = await readJson(c, PartnerInput);
    return c.json(await d.services.partners.put(id, input, c.get("principal").subject));
  });

  d.api.add({
    method: "get",
    path: "/v1/partners",
    summary: "The registered partners",
    description: "Admins get the whole records; agents get `{id, name, type}` of each, for display.",
    roles: ["admin", "agent"],
    responses: {
      200: { description: "Partners by id", schema: z.array(z.union([Partner, PartnerListing])) },
    },
  });
  app.get("/v1/partners", d.role("admin", "agent"), async (c) => {
    const partners = await d.services.partners.list();
    if (c.get("principal").roles.includes("admin")) return c.json(partners);
    return c.json(partners.map(({ id, name, type }) => ({ id, name, type })));
  });

  d.api.add({
    method: "get",
    path: "/v1/partners/{id}",
    summary: "One partner's record",
    roles: ["admin"],
    params: { id: "Partner code" },
    responses: {
      200: { description: "The partner", schema: Partner },
      404: { description: "Not registered" },
    },
  });
  d.api.add({
    method: "get",
    path: "/v1/partners/{id}/quality",
    summary: "Data-quality report of a partner: per delivery, as a trend, its use, and its phase's checks",
    description:
      "Per delivery (newest first): rows, accepted, rejected by reason, completeness per field (birth " +
      "date, phone, e-mail, postcode, house number), findability (name + birth date, postcode + house " +
      "number, phone), duplicate policy numbers in one file, products and modules not in the catalogue, " +
      "customers shared with other partners, policies ended. `trend`: the same figures oldest first, " +
      "one point per delivery (for a chart). `usage`: lookups that returned its customers and coverage " +
      "assessments on them, per month, from the audit log. `checks`: the thresholds of its phase, " +
      "whether it may move on, and the failing checks.",
    roles: ["admin"],
    params: { id: "Partner code" },
    query: QualityQuery,
    responses: {
      200: {
        description: "The report",
        schema: z.looseObject({ partner: z.looseObject({ id: z.string() }) }),
      },
      404: { description: "Not registered" },
    },
  });
  app.get("/v1/partners/:id/quality", d.role("admin"), async (c) => {
    const id = readPartnerId(c);
    const { months } = readQuery(c, QualityQuery);
    return c.json(await partnerQuality(d.services.store, id, { months }));
  });

  app.get("/v1/partners/:id", d.role("admin"), async (c) => {
    const id = readPartnerId(c);
    const partner = await d.services.partners.get(id);
    if (!partner) throw unknownPartner(id);
    return c.json(partner);
  });
  return app;
}

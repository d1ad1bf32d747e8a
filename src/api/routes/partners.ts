import { Hono } from "hono";
import { z } from "zod";
import { Partner, PartnerId, PartnerInput, PartnerType } from "../../domain/partner.ts";
import { unknownPartner } from "../../partners/partner-registry.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readId, readJson } from "../route-deps.ts";

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
  app.get("/v1/partners/:id", d.role("admin"), async (c) => {
    const id = readPartnerId(c);
    const partner = await d.services.partners.get(id);
    if (!partner) throw unknownPartner(id);
    return c.json(partner);
  });
  return app;
}

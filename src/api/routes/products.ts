import { Hono } from "hono";
import { z } from "zod";
import { CatalogueProduct } from "../../coverage/product-catalogue.ts";
import { Product } from "../../domain/model.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readId, readJson } from "../route-deps.ts";

/** `PUT /v1/products/{code}` (admin) and `GET /v1/products` (agent, admin): the product catalogue. */
export function productRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "put",
    path: "/v1/products/{code}",
    summary: "Create or replace a product (a change becomes its next version)",
    roles: ["admin"],
    params: { code: "Product code; must equal the body's code" },
    body: Product,
    responses: { 200: { description: "The stored product", schema: CatalogueProduct } },
  });
  app.put("/v1/products/:code", d.role("admin"), async (c) => {
    const code = readId(c, "code");
    // The catalogue parses the product itself and names every problem; the body only has to be JSON.
    const body = await readJson(c, z.unknown());
    return c.json(await d.services.products.put(body, { code }));
  });

  d.api.add({
    method: "get",
    path: "/v1/products",
    summary: "The product catalogue",
    roles: ["agent", "admin"],
    responses: { 200: { description: "All products", schema: z.array(CatalogueProduct) } },
  });
  app.get("/v1/products", d.role("agent", "admin"), async (c) => c.json(await d.services.products.list()));
  return app;
}

import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../domain/errors.ts";
import { Product } from "../../domain/model.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readId, readJson } from "../route-deps.ts";

/** `PUT /v1/products/{code}` (admin) and `GET /v1/products` (agent, admin): the product catalogue. */
export function productRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "put",
    path: "/v1/products/{code}",
    summary: "Create or replace a product",
    roles: ["admin"],
    params: { code: "Product code; must equal the body's code" },
    body: Product,
    responses: { 200: { description: "The stored product", schema: Product } },
  });
  app.put("/v1/products/:code", d.role("admin"), async (c) => {
    const code = readId(c, "code");
    const product = await readJson(c, Product);
    if (product.code !== code) {
      throw new AppError("VALIDATION_FAILED", "the body's code must equal the path's code", {
        details: { errors: [{ path: "body.code", message: "differs from the path" }] },
      });
    }
    await (d.services.putProduct ?? ((p) => d.services.store.putProduct(p)))(product);
    return c.json(product);
  });

  d.api.add({
    method: "get",
    path: "/v1/products",
    summary: "The product catalogue",
    roles: ["agent", "admin"],
    responses: { 200: { description: "All products", schema: z.array(Product) } },
  });
  app.get("/v1/products", d.role("agent", "admin"), async (c) =>
    c.json(await d.services.store.listProducts()),
  );
  return app;
}

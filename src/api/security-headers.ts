import type { HttpBindings } from "@hono/node-server";
import { Hono, type MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/** The headers hono's `secureHeaders()` sets with its defaults, asked of it once. */
async function defaultSecureHeaders(): Promise<Array<[string, string]>> {
  const probe = new Hono();
  probe.use(secureHeaders());
  probe.get("/", (c) => c.body(null, 204));
  const res = await probe.request("/");
  return [...res.headers];
}

/**
 * hono's default security headers on every answer, set where they cost least. Served by
 * @hono/node-server they go onto the Node response before the handler runs: hono's own middleware
 * sets them on `c.res.headers` afterwards, which makes the adapter build a WHATWG `Headers` object
 * for every answer and copy it back out (~5 % of the HTTP thread's samples in a profile of the http
 * bench, 2-vCPU Xeon, 2026-12-02; the CPU a request costs through HTTP moved within the machine's
 * drift). Elsewhere
 * (`app.request` in tests) they are set on the response as hono does. Either way a header the route
 * set itself wins (the docs page's stricter set).
 */
export function securityHeaders(): MiddlewareHandler<{ Bindings: Partial<HttpBindings> }> {
  let headers: Array<[string, string]> | undefined;
  return async (c, next) => {
    headers ??= await defaultSecureHeaders();
    const outgoing = c.env?.outgoing;
    if (outgoing && typeof outgoing.setHeader === "function" && !outgoing.headersSent) {
      for (const [name, value] of headers) outgoing.setHeader(name, value);
      await next();
      return;
    }
    await next();
    for (const [name, value] of headers) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  };
}

/**
 * `Cache-Control: no-store` on every answer of the API (personal data, and problems about it), so no
 * browser or proxy keeps a copy; set on the Node response up front where there is one, as above.
 */
export function noStore(): MiddlewareHandler<{ Bindings: Partial<HttpBindings> }> {
  return async (c, next) => {
    const outgoing = c.env?.outgoing;
    if (outgoing && typeof outgoing.setHeader === "function" && !outgoing.headersSent) {
      outgoing.setHeader("Cache-Control", "no-store");
      await next();
      return;
    }
    await next();
    c.res.headers.set("Cache-Control", "no-store");
  };
}

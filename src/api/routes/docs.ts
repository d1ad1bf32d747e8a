import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../context.ts";
import type { RouteDeps } from "../route-deps.ts";

const require = createRequire(import.meta.url);
const { getAbsoluteFSPath } = require("swagger-ui-dist") as { getAbsoluteFSPath: () => string };

/** The swagger-ui files we serve, and nothing else from that folder. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "index.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Klantherkenning API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="stylesheet" href="/docs/assets/index.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`;

// An external file, not an inline script, so the CSP needs no 'unsafe-inline' for scripts.
const INIT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout",
    validatorUrl: null,
  });
});
`;

/**
 * `/openapi.json` and `/docs` (swagger-ui served offline from node_modules). Strict headers: scripts,
 * styles, fonts and fetches from self only; swagger-ui sets inline style attributes and data: images,
 * which are the only two exceptions.
 */
export function docsRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  const dir = getAbsoluteFSPath();
  app.get("/openapi.json", (c) => c.json(d.api.document()));
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  });
  app.use("/docs", headers);
  app.use("/docs/*", headers);
  app.get("/docs", (c) => c.html(PAGE));
  app.get("/docs/init.js", (c) => c.body(INIT, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    const type = ASSETS[file];
    if (!type) return c.notFound();
    const bytes = await readFile(join(dir, file));
    return c.body(bytes, 200, { "content-type": type, "cache-control": "public, max-age=86400" });
  });
  return app;
}

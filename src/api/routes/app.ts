import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { AppError } from "../../domain/errors.ts";
import { AppConfig, DevToken, DevTokenInput } from "../app-shapes.ts";
import type { Role } from "../auth/principal.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readJson } from "../route-deps.ts";

/** How the application is served; built by compose from the environment. */
export interface WebAppOptions {
  /** Folder of the built application (index.html and assets/). */
  dir: string;
  config: AppConfig;
  /** Dev mode only: signs a short-lived token for a role and a name. */
  mintDevToken?: (role: Role, sub: string, ttlSeconds: number) => Promise<string>;
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

const NOT_BUILT = `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Klantherkenning</title></head>
<body><h1>De applicatie is niet gebouwd</h1><p>Voer <code>npm run build:web</code> uit (dat doet <code>npm ci</code> ook).</p></body></html>`;

const DEV_TOKEN_TTL_SECONDS = 8 * 3600;

/**
 * The legal service centre's application at `/` (same origin as the API), its public sign-in
 * configuration, and in dev mode the sign-in token. Scripts and styles come from files only: the
 * content security policy allows no inline script or style.
 */
export function webAppRoutes(d: RouteDeps, options: WebAppOptions) {
  const app = new Hono<AppEnv>();
  const issuerOrigin = options.config.oidc ? new URL(options.config.oidc.issuer).origin : undefined;
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'"],
      // The OpenID provider's discovery and token endpoints are fetched from the browser.
      connectSrc: issuerOrigin ? ["'self'", issuerOrigin] : ["'self'"],
      manifestSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
    },
    referrerPolicy: "no-referrer",
  });
  for (const path of ["/", "/index.html", "/assets/*", "/app/*"]) app.use(path, headers);

  let index: Promise<string | null> | undefined;
  const indexHtml = () => {
    index ??= readFile(join(options.dir, "index.html"), "utf8").catch(() => null);
    return index;
  };
  const page = async (c: Context<AppEnv>) => {
    const html = await indexHtml();
    if (html === null) {
      index = undefined;
      return c.html(NOT_BUILT, 503);
    }
    return c.html(html, 200, { "cache-control": "no-cache" });
  };
  app.get("/", page);
  app.get("/index.html", page);
  app.get("/assets/:file", async (c) => {
    const file = c.req.param("file");
    const type = TYPES[extname(file)];
    if (!type || !/^[A-Za-z0-9._-]{1,128}$/.test(file) || file.startsWith(".")) return c.notFound();
    let bytes: Buffer;
    try {
      bytes = await readFile(join(options.dir, "assets", file));
    } catch {
      return c.notFound();
    }
    // Vite names every asset by its content hash, so a file never changes under its name.
    return c.body(new Uint8Array(bytes), 200, {
      "content-type": type,
      "cache-control": "public, max-age=31536000, immutable",
    });
  });

  d.api.add({
    method: "get",
    path: "/app/config",
    summary: "The application's sign-in configuration (auth mode, OpenID Connect public client)",
    roles: null,
    responses: { 200: { description: "Sign-in configuration", schema: AppConfig } },
  });
  app.get("/app/config", (c) => c.json(options.config, 200, { "cache-control": "no-cache" }));

  const mint = options.mintDevToken;
  if (mint) {
    d.api.add({
      method: "post",
      path: "/app/dev-token",
      summary: "Dev mode only: a signed token for a role and a name (the application's dev sign-in)",
      description: "Exists only with AUTH_MODE=dev, which the service refuses when NODE_ENV=production.",
      roles: null,
      body: DevTokenInput,
      responses: { 200: { description: "A token valid for 8 hours", schema: DevToken } },
    });
    const tooLarge = () => {
      throw new AppError("PAYLOAD_TOO_LARGE", "a sign-in request is at most 1 KiB");
    };
    app.post("/app/dev-token", bodyLimit({ maxSize: 1024, onError: tooLarge }), async (c) => {
      const input = await readJson(c, DevTokenInput);
      const token = await mint(input.role, input.name, DEV_TOKEN_TTL_SECONDS);
      return c.json({ token, expiresIn: DEV_TOKEN_TTL_SECONDS }, 200, { "cache-control": "no-store" });
    });
  }
  return app;
}

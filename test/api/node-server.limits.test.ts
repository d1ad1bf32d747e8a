import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPortfolio } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

// The body cap through the real Node adapter (main.ts serves the app with @hono/node-server): a
// declared Content-Length is judged from the header, a chunked body as it streams.
let h: Harness;
let server: ServerType;
let port: number;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  await loadPortfolio(h);
  token = await h.token("agent", { sub: "agent-node" });
  server = serve({ fetch: h.system.app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await h?.close();
});

/** GETs `path` over real HTTP: status and headers. */
function get(path: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The headers hono's own `secureHeaders()` sets by default (what the API promises on every answer). */
async function honoSecureHeaders(): Promise<Record<string, string>> {
  const probe = new Hono();
  probe.use(secureHeaders());
  probe.get("/", (c) => c.body(null, 204));
  return Object.fromEntries((await probe.request("/")).headers);
}

/** POSTs `chunks` to `path`: with a Content-Length of their total when `declared`, else chunked. */
function post(path: string, chunks: string[], declared: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const length = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          ...(declared ? { "content-length": String(length) } : {}),
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    // The service may answer (413) and close before a long body is written; that is not a failure.
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE" && err.code !== "ECONNRESET") reject(err);
    });
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe("the JSON body cap over real HTTP", () => {
  it("a search with a declared length is read and answered", async () => {
    const res = await post("/v1/search", [JSON.stringify({ name: "Berg" })], true);
    expect(res.status).toBe(200);
    expect(Array.isArray((JSON.parse(res.body) as { results: unknown[] }).results)).toBe(true);
  });

  it("a chunked search within the cap is read and answered", async () => {
    const res = await post("/v1/search", ['{"name":', '"Berg"}'], false);
    expect(res.status).toBe(200);
    expect(Array.isArray((JSON.parse(res.body) as { results: unknown[] }).results)).toBe(true);
  });

  it("a declared length over 64 KiB is a 413", async () => {
    const res = await post("/v1/search", [JSON.stringify({ q: "x".repeat(70_000) })], true);
    expect(res.status).toBe(413);
    expect((JSON.parse(res.body) as { code: string }).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("a chunked body over 64 KiB is a 413", async () => {
    const res = await post("/v1/search", ['{"q":"', ...Array(10).fill("x".repeat(7_000)), '"}'], false);
    expect(res.status).toBe(413);
    expect((JSON.parse(res.body) as { code: string }).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("a body that is not JSON is a 400 with a declared length too", async () => {
    const res = await post("/v1/search", ["{name:"], true);
    expect(res.status).toBe(400);
    expect((JSON.parse(res.body) as { code: string }).code).toBe("VALIDATION_FAILED");
  });
});

describe("security headers over real HTTP", () => {
  it("a health answer, a refusal and a 404 carry hono's default security headers", async () => {
    const expected = await honoSecureHeaders();
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(8);
    const answers = [await get("/health/live"), await get("/v1/audit"), await get("/nothing-here")];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404]);
    for (const a of answers) expect(a.headers).toMatchObject(expected);
  });

  it("a search answer carries them beside its own content type", async () => {
    const res = await new Promise<{ headers: Record<string, unknown> }>((resolve, reject) => {
      const body = JSON.stringify({ name: "Berg" });
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/v1/search",
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        },
        (r) => {
          r.resume();
          r.on("end", () => resolve({ headers: r.headers }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(res.headers["content-type"]).toBe("application/json");
    expect(res.headers).toMatchObject(await honoSecureHeaders());
  });

  it("the docs page keeps its stricter policy", async () => {
    const page = await get("/docs");
    expect(page.status).toBe(200);
    expect(String(page.headers["content-security-policy"])).toContain("default-src 'none'");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
  });
});

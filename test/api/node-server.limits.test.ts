import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
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

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app.ts";
import { createLocalVerifier } from "../../src/api/auth/token-verifier.ts";
import { loadTls, serveApp } from "../../src/api/node-server.ts";
import { parseCidrList } from "../../src/config/cidr.ts";
import { createLogger } from "../../src/logger.ts";
import { type Harness, PROBLEM_KEYS, startHarness } from "../api/support/harness.ts";

// Node's own refusals, HTTPS and the network allow-list, through a real socket (src/main.ts's server).
let h: Harness;
const servers: ServerType[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
  await h?.close();
});

async function listen(fetch: Parameters<typeof serveApp>[0], tls?: Parameters<typeof serveApp>[1]["tls"]) {
  const server = serveApp(fetch, { hostname: "127.0.0.1", port: 0, ...(tls ? { tls } : {}) });
  servers.push(server);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** Sends raw bytes and reads the whole answer until the server closes. */
function raw(port: number, bytes: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (c: string) => {
      data += c;
    });
    socket.on("end", () => {
      const [head, ...rest] = data.split("\r\n\r\n");
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? "")?.[1]),
        headers: head ?? "",
        body: rest.join("\r\n\r\n"),
      });
    });
    socket.on("error", reject);
    socket.write(bytes);
  });
}

function expectProblemBody(body: string, code: string) {
  const p = JSON.parse(body) as Record<string, unknown>;
  expect(p.code).toBe(code);
  for (const key of Object.keys(p)) expect(PROBLEM_KEYS.has(key)).toBe(true);
}

describe("requests Node refuses before the app sees them are problem documents", () => {
  let port: number;
  beforeAll(async () => {
    port = await listen(h.system.app.fetch);
  });

  it("a 27 KB header is a 431", async () => {
    const res = await raw(
      port,
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(27_000)}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(res.headers).toContain("Content-Type: application/problem+json");
    expectProblemBody(res.body, "HEADERS_TOO_LARGE");
  });

  it.each([
    ["Content-Length: -1", "POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"],
    ["a request line that is not HTTP", "HELLO\r\n\r\n"],
    [
      "both Content-Length and chunked",
      "POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
    ],
  ])("%s is a 400", async (_name, bytes) => {
    const res = await raw(port, bytes);
    expect(res.status).toBe(400);
    expect(res.headers).toContain("Cache-Control: no-store");
    expectProblemBody(res.body, "MALFORMED_REQUEST");
  });

  it("a body over the cap is a 413 problem from the app", async () => {
    const body = JSON.stringify({ q: "x".repeat(70_000) });
    const res = await raw(
      port,
      `POST /v1/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(res.status).toBe(413);
    expectProblemBody(res.body, "PAYLOAD_TOO_LARGE");
  });
});

describe("HTTPS when a certificate and key are configured", () => {
  const dir = mkdtempSync(join(tmpdir(), "kh-tls-"));
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  beforeAll(() => {
    const made = spawnSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1"].concat(
        ["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
      ),
      { encoding: "utf8" },
    );
    expect(made.status, made.stderr).toBe(0);
  });

  it("serves the API over TLS with a self-signed certificate", async () => {
    const port = await listen(h.system.app.fetch, await loadTls(cert, key));
    const answer = await new Promise<{ status: number; body: string; protocol: string }>(
      (resolve, reject) => {
        const req = httpsRequest(
          { host: "127.0.0.1", port, path: "/health/live", ca: readFileSync(cert) },
          (res) => {
            const protocol = String(
              (res.socket as unknown as { getProtocol(): string | null }).getProtocol(),
            );
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => {
              body += c;
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body, protocol }));
          },
        );
        req.on("error", reject);
        req.end();
      },
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: "ok" });
    expect(answer.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it("a key that does not belong to the certificate, or a missing file, stops the start naming the variable", async () => {
    const otherKey = join(dir, "other.pem");
    spawnSync("openssl", [
      "genpkey",
      "-algorithm",
      "EC",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-out",
      otherKey,
    ]);
    await expect(loadTls(cert, otherKey)).rejects.toThrow(
      /^invalid environment: TLS_CERT_FILE\/TLS_KEY_FILE: /,
    );
    await expect(loadTls(join(dir, "missing.pem"), key)).rejects.toThrow(
      /^invalid environment: TLS_CERT_FILE: cannot read/,
    );
    writeFileSync(join(dir, "garbage.pem"), "not a certificate");
    await expect(loadTls(join(dir, "garbage.pem"), key)).rejects.toThrow(/TLS_CERT_FILE\/TLS_KEY_FILE/);
  });
});

describe("ALLOWED_NETWORKS on a real socket", () => {
  const appFor = (allowed: string, trusted: string) =>
    createApp(h.system.services, {
      verifier: createLocalVerifier([h.keys.publicJwk], "klantherkenning-dev", "klantherkenning"),
      auditKey: new Uint8Array(32),
      logger: createLogger("silent"),
      allowedNetworks: parseCidrList(allowed),
      trustedProxies: parseCidrList(trusted),
    });
  const get = async (port: number, path: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, { headers });

  it("a client outside the list is refused with a problem; the probes are answered", async () => {
    const port = await listen(appFor("10.0.0.0/8", "").fetch);
    const refused = await get(port, "/v1/products");
    expect(refused.status).toBe(403);
    expectProblemBody(await refused.text(), "NETWORK_NOT_ALLOWED");
    expect((await get(port, "/health/live")).status).toBe(200);
    // X-Forwarded-For from a client that is no trusted proxy changes nothing.
    expect((await get(port, "/v1/products", { "x-forwarded-for": "10.1.2.3" })).status).toBe(403);
  });

  it("behind a trusted proxy the forwarded address counts", async () => {
    const port = await listen(appFor("10.0.0.0/8", "127.0.0.1").fetch);
    const token = await h.token("agent");
    const ok = await get(port, "/v1/products", {
      "x-forwarded-for": "10.1.2.3",
      authorization: `Bearer ${token}`,
    });
    expect(ok.status).toBe(200);
    const spoofed = await get(port, "/v1/products", { "x-forwarded-for": "10.1.2.3, 198.51.100.4" });
    expect(spoofed.status).toBe(403);
  });
});

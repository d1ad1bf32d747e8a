import { readFile } from "node:fs/promises";
import { createServer as createHttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import { createSecureContext } from "node:tls";
import { type ServerType, serve } from "@hono/node-server";
import { AppError, type ErrorCode } from "../domain/errors.ts";
import { toProblem } from "./problem.ts";

/** A PEM certificate chain and its private key, read and checked at start. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * Reads TLS_CERT_FILE and TLS_KEY_FILE and checks they make a usable pair (PEM, the key belongs to the
 * certificate); throws an Error of one line naming the variable otherwise.
 */
export async function loadTls(certFile: string, keyFile: string): Promise<TlsFiles> {
  const read = async (name: string, path: string) =>
    readFile(path).catch((err: NodeJS.ErrnoException) => {
      throw new Error(
        `invalid environment: ${name}: cannot read ${JSON.stringify(path)} (${err.code ?? err.message})`,
      );
    });
  const cert = await read("TLS_CERT_FILE", certFile);
  const key = await read("TLS_KEY_FILE", keyFile);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    const reason = (err as Error).message.split("\n")[0];
    throw new Error(
      `invalid environment: TLS_CERT_FILE/TLS_KEY_FILE: not a usable certificate and key (${reason})`,
    );
  }
  return { cert, key };
}

/** Node's own refusals of a request it could not read, as the status and code we answer them with. */
function clientErrorCode(err: NodeJS.ErrnoException): ErrorCode {
  if (err.code === "HPE_HEADER_OVERFLOW") return "HEADERS_TOO_LARGE";
  if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") return "REQUEST_TIMEOUT";
  if (err.code === "HPE_CHUNK_EXTENSIONS_OVERFLOW") return "PAYLOAD_TOO_LARGE";
  return "MALFORMED_REQUEST";
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  HEADERS_TOO_LARGE: "the request's header fields are too large",
  REQUEST_TIMEOUT: "the request was not received in time",
  PAYLOAD_TOO_LARGE: "the request's chunk extensions are too large",
  MALFORMED_REQUEST: "the request is not valid HTTP/1.1 (framing, header syntax or Content-Length)",
};

/**
 * The raw HTTP answer to a request Node's parser refused (431 for a header too large, 400 for bad
 * framing such as `Content-Length: -1`, 408 for one too slow): a problem document, as every other error.
 */
export function clientErrorResponse(err: NodeJS.ErrnoException): string {
  const code = clientErrorCode(err);
  const problem = toProblem(new AppError(code, MESSAGES[code] ?? "the request could not be read"));
  const body = JSON.stringify(problem);
  return [
    `HTTP/1.1 ${problem.status} ${problem.title}`,
    "Content-Type: application/problem+json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Cache-Control: no-store",
    "X-Content-Type-Options: nosniff",
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

/** What to serve and where; `tls` serves HTTPS. */
export interface ServeOptions {
  hostname: string;
  port: number;
  tls?: TlsFiles;
  onListening?: (info: { address: string; family: string; port: number }) => void;
}

/**
 * Serves the app over Node HTTP (or HTTPS with `tls`): timeouts for slow clients, and problem documents
 * for the requests Node refuses before the app sees them.
 */
export function serveApp(
  fetch: (req: Request, env: unknown) => Response | Promise<Response>,
  options: ServeOptions,
) {
  const server: ServerType = serve(
    {
      fetch,
      hostname: options.hostname,
      port: options.port,
      ...(options.tls
        ? { createServer: createHttpsServer, serverOptions: { cert: options.tls.cert, key: options.tls.key } }
        : {}),
    },
    options.onListening,
  );
  // Slow clients may not hold a connection forever; uploads are streamed and get a long allowance.
  const http = server as unknown as {
    headersTimeout: number;
    requestTimeout: number;
    keepAliveTimeout: number;
  };
  http.headersTimeout = 30_000;
  http.requestTimeout = 60 * 60_000;
  http.keepAliveTimeout = 5_000;
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === "ECONNRESET" || !socket.writable || answering?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(err));
  });
  return server;
}

import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import type { RunInfo } from "../run-file.ts";
import { CliError } from "./cli-args.ts";

/** An answer of the service: status and the body as text. */
export interface ServiceAnswer {
  status: number;
  text: string;
}

/** A request to the running service: JSON or a streamed body; `onBytes` counts what was sent. */
export interface ServiceRequest {
  method: "GET" | "POST";
  path: string;
  token: string;
  body?: Readable;
  headers?: Record<string, string>;
  onBytes?: (sent: number) => void;
}

/**
 * Talks to the service a run file names, over HTTP or, when it serves TLS itself, over HTTPS pinned to
 * the certificate file it serves (the one in its run file), whatever host name that certificate holds.
 */
export function createServiceClient(run: RunInfo) {
  const url = new URL(run.url);
  const https = url.protocol === "https:";
  const pinned =
    https && run.tlsCertFile ? new X509Certificate(readFileSync(run.tlsCertFile)).fingerprint256 : "";

  function send(req: ServiceRequest): Promise<ServiceAnswer> {
    return new Promise((resolve, reject) => {
      const options: RequestOptions = {
        method: req.method,
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port,
        path: req.path,
        headers: { authorization: `Bearer ${req.token}`, ...req.headers },
      };
      if (https)
        options.createConnection = (_opts, done) => {
          const socket = tlsConnect({
            host: options.host as string,
            port: Number(url.port),
            rejectUnauthorized: false,
          });
          socket.once("secureConnect", () => {
            const peer = socket.getPeerX509Certificate()?.fingerprint256;
            if (peer !== pinned) {
              socket.destroy();
              done(new CliError(`the service at ${run.url} does not serve ${run.tlsCertFile}`), socket);
            } else done(null, socket);
          });
          socket.once("error", (err) => done(err, socket));
          return undefined as never;
        };
      const call = (https ? httpsRequest : httpRequest)(options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      });
      call.on("error", (err: NodeJS.ErrnoException) =>
        reject(
          err instanceof CliError
            ? err
            : new CliError(
                `the service at ${run.url} (pid ${run.pid}) did not answer: ${err.code ?? err.message}`,
              ),
        ),
      );
      if (!req.body) {
        call.end();
        return;
      }
      let sent = 0;
      req.body.on("data", (chunk: Buffer) => {
        sent += chunk.byteLength;
        req.onBytes?.(sent);
      });
      req.body.on("error", (err) => call.destroy(err));
      req.body.pipe(call);
    });
  }

  return { send };
}

/** The problem document's detail of an error answer, or its first line of text. */
export function problemOf(answer: ServiceAnswer): string {
  try {
    const p = JSON.parse(answer.text) as { code?: string; detail?: string };
    if (p.code) return `${answer.status} ${p.code}: ${p.detail ?? ""}`.trim();
  } catch {
    // Not JSON: the text itself.
  }
  return `${answer.status} ${answer.text.split("\n")[0]!.slice(0, 200)}`;
}

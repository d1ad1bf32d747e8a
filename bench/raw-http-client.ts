/**
 * A lean HTTP/1.1 load-generator client for the benches: one kept-alive TCP connection, one request at
 * a time, the request bytes written in one go and the response parsed only as far as the status line,
 * the headers' Content-Length or chunked encoding, and the body's length (`BENCH_CLIENT=raw` in
 * bench/http-search.ts). It costs 0.16-0.26 CPU-ms a request where node:http's client costs 0.35-0.57
 * on the two cores it shares with the service under test, but the service needed more CPU a request
 * when driven by it and throughput and p95 were no better (2-vCPU Xeon, 2026-12-01), so node:http is
 * the default.
 */
import { connect, type Socket } from "node:net";

/** One answer: the status and how many body bytes came. */
export interface RawAnswer {
  status: number;
  bodyBytes: number;
}

const HEADER_END = Buffer.from("\r\n\r\n");

export class RawHttpClient {
  private socket: Socket | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (a: RawAnswer) => void; reject: (e: Error) => void } | undefined;

  private readonly host: string;
  private readonly port: number;
  private readonly headers: Record<string, string>;

  /** `headers` are sent with every request (e.g. authorization), without Content-Length. */
  constructor(host: string, port: number, headers: Record<string, string>) {
    this.host = host;
    this.port = port;
    this.headers = headers;
  }

  /** POSTs `body` (JSON) to `path` and resolves with the status once the whole answer has come. */
  post(path: string, body: string): Promise<RawAnswer> {
    if (this.waiting) return Promise.reject(new Error("one request at a time"));
    const socket = this.connected();
    const head = [`POST ${path} HTTP/1.1`, `host: ${this.host}:${this.port}`, "connection: keep-alive"];
    for (const [k, v] of Object.entries(this.headers)) head.push(`${k}: ${v}`);
    head.push(`content-length: ${Buffer.byteLength(body)}`, "", "");
    return new Promise<RawAnswer>((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(head.join("\r\n") + body);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connected(): Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    this.buffered = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.parse();
    });
    const fail = (err: Error) => {
      if (this.socket === socket) this.socket = undefined;
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(err);
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed before the answer came")));
    this.socket = socket;
    return socket;
  }

  // Resolves the waiting request once `buffered` holds its whole answer.
  private parse(): void {
    const buf = this.buffered;
    const end = buf.indexOf(HEADER_END);
    if (end < 0 || !this.waiting) return;
    const head = buf.toString("latin1", 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let total: number;
    let bodyBytes: number;
    if (length) {
      bodyBytes = Number(length[1]);
      total = end + 4 + bodyBytes;
      if (buf.length < total) return;
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      // Chunk sizes in hex, each line and chunk ended by CRLF, a zero-size chunk (and CRLF) last.
      let at = end + 4;
      bodyBytes = 0;
      for (;;) {
        const eol = buf.indexOf("\r\n", at, "latin1");
        if (eol < 0) return;
        const size = Number.parseInt(buf.toString("latin1", at, eol), 16);
        if (Number.isNaN(size)) {
          this.fail(new Error("bad chunk size"));
          return;
        }
        at = eol + 2 + size + 2;
        if (buf.length < at) return;
        bodyBytes += size;
        if (size === 0) break;
      }
      total = at;
    } else {
      // No body length: only answers without a body (204, 304) are expected here.
      bodyBytes = 0;
      total = end + 4;
    }
    this.buffered = buf.subarray(total);
    const w = this.waiting;
    this.waiting = undefined;
    w.resolve({ status, bodyBytes });
  }

  private fail(err: Error): void {
    const w = this.waiting;
    this.waiting = undefined;
    this.close();
    w?.reject(err);
  }
}

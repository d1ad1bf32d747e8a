import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy between the service and a shared engine, so a test can take the engine away from the
 * service (and only from it) and give it back, without stopping the engine others use:
 * - `down()`: every open connection is cut, and each new one is accepted and closed at once (what a
 *   client sees of a stopped server: a connection that fails); `attempts` counts them;
 * - `stall()`: connections are accepted and never answered (a hung server);
 * - `up()`: connections are forwarded again.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private mode: "up" | "down" | "stall" = "up";
  /** Connections refused (down) or held (stall) since the last mode change. */
  attempts = 0;
  port = 0;

  private readonly host: string;
  private readonly targetPort: number;

  private constructor(host: string, targetPort: number) {
    this.host = host;
    this.targetPort = targetPort;
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts a proxy on a free loopback port forwarding to `target` (host:port). */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target.host, target.port);
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    proxy.port = (proxy.server.address() as { port: number }).port;
    return proxy;
  }

  /** `url` (http or mongodb) with its host and port replaced by the proxy's; credentials kept. */
  url(of: string): string {
    return of.replace(
      /\/\/([^@/]*@)?[^/?]+/,
      (_all, user?: string) => `//${user ?? ""}127.0.0.1:${this.port}`,
    );
  }

  /** Host and port of a URL (http or mongodb). */
  static target(url: string): { host: string; port: number } {
    const m = /\/\/(?:[^@/]*@)?([^:/?]+):(\d+)/.exec(url);
    if (!m) throw new Error(`no host:port in ${url}`);
    return { host: m[1]!, port: Number(m[2]) };
  }

  private accept(client: Socket): void {
    client.on("error", () => {});
    if (this.mode === "down") {
      this.attempts++;
      client.destroy();
      return;
    }
    this.sockets.add(client);
    client.on("close", () => this.sockets.delete(client));
    if (this.mode === "stall") {
      this.attempts++;
      return;
    }
    const upstream = connect(this.targetPort, this.host);
    this.sockets.add(upstream);
    upstream.on("close", () => this.sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  }

  private cutAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** The engine is gone: open connections cut, new ones closed at once. */
  down(): void {
    this.mode = "down";
    this.attempts = 0;
    this.cutAll();
  }

  /** The engine hangs: open connections cut, new ones accepted and never answered. */
  stall(): void {
    this.mode = "stall";
    this.attempts = 0;
    this.cutAll();
  }

  /** The engine is back. */
  up(): void {
    this.mode = "up";
    this.attempts = 0;
    // Connections held while stalled never get an answer: the clients open new ones.
    this.cutAll();
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Resolves once `check` holds, looking every `everyMs`; rejects after `timeoutMs` with `what`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 120_000,
  everyMs = 20,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

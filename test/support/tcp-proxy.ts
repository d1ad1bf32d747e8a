import { connect, createServer, type Server, type Socket } from "node:net";

/** A TCP proxy on loopback that a test can pause (no byte passes either way) and resume. */
export interface TcpProxy {
  /** `http://127.0.0.1:PORT` with the target's path kept (for a URL), or `127.0.0.1:PORT`. */
  readonly url: string;
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy in front of `targetUrl` (http://host:port…): a paused proxy leaves every connection
 * open and reads nothing, so a request through it hangs as if the engine stalled.
 */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  let paused = false;
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, target.hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    if (paused) for (const s of pair) s.pause();
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("proxy: no port");
  const proxied = new URL(targetUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(address.port);
  return {
    url: proxied.toString().replace(/\/$/, ""),
    pause() {
      paused = true;
      for (const pair of pairs) for (const s of pair) s.pause();
    },
    resume() {
      paused = false;
      for (const pair of pairs) for (const s of pair) s.resume();
    },
    async close() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

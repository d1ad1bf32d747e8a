/**
 * The service under an HTTP load bench (bench/soak.ts, bench/search-during-ingest.ts): `src/main.ts`
 * started as `npm start` runs it on a prepared DATA_DIR and a random port, an agent's and an admin's
 * token, requests over node:http, and the latency summary both benches print.
 */
import { execFileSync, spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const node = process.execPath;

/** One answer: its status and whole body. */
export interface BenchAnswer {
  status: number;
  text: string;
}

/** A running service and the means to call it. */
export interface BenchService {
  readonly pid: number | undefined;
  readonly agentToken: string;
  readonly adminToken: string;
  /**
   * One request. A string body is sent as JSON, a stream (a delivery file) as it is; `keepAlive` false
   * opens a connection of its own, one the service cannot have closed after its idle timeout.
   */
  call(
    method: string,
    path: string,
    auth: string,
    body?: string | NodeJS.ReadableStream,
    keepAlive?: boolean,
  ): Promise<BenchAnswer>;
  /** Waits until GET /health/ready answers 200; resolves with the seconds that took. */
  ready(limitMs: number): Promise<number>;
  /** Registers `partner` as a live intermediary with a signed agreement, so its deliveries are taken. */
  registerPartner(partner: string, name: string): Promise<void>;
  /** Stops the service and waits until it has exited. */
  stop(): Promise<void>;
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Mints the tokens (subjects `<subject>-agent`, `<subject>-admin`) from `env`'s DATA_DIR keys, then
 * starts the service with `env`; `maxSockets` kept-alive connections at the most.
 */
export function startBenchService(
  env: NodeJS.ProcessEnv,
  options: { subject: string; maxSockets: number },
): BenchService {
  const token = (role: string) =>
    execFileSync(node, ["src/cli/token.ts", "--role", role, "--sub", `${options.subject}-${role}`], {
      cwd: root,
      env,
    })
      .toString()
      .trim();
  const agentToken = token("agent");
  const adminToken = token("admin");
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(node, ["src/main.ts"], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const http = new Agent({ keepAlive: true, maxSockets: options.maxSockets });

  const call: BenchService["call"] = (method, path, auth, body, keepAlive = true) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method,
          path,
          agent: keepAlive ? http : false,
          headers: {
            authorization: `Bearer ${auth}`,
            ...(typeof body === "string" ? { "content-type": "application/json" } : {}),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      if (body === undefined) req.end();
      else if (typeof body === "string") req.end(body);
      else body.pipe(req);
    });

  return {
    pid: server.pid,
    agentToken,
    adminToken,
    call,
    async ready(limitMs) {
      const t0 = performance.now();
      while (
        !(await call("GET", "/health/ready", agentToken).then(
          (r) => r.status === 200,
          () => false,
        ))
      ) {
        if (performance.now() - t0 > limitMs)
          throw new Error(`service did not become ready in ${limitMs / 1000} s`);
        await pause(500);
      }
      return (performance.now() - t0) / 1000;
    },
    async registerPartner(partner, name) {
      const registered = await call(
        "PUT",
        `/v1/partners/${partner}`,
        adminToken,
        JSON.stringify({ name, type: "intermediair", phase: "live", agreementSignedOn: "2025-01-01" }),
      );
      if (registered.status !== 200)
        throw new Error(`partner not registered: ${registered.status} ${registered.text}`);
    },
    async stop() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((r) => server.once("exit", r));
      server.kill();
      await exited;
    },
  };
}

/** The `p` quantile (0-1) of `latencies` in ms, to a tenth; "-" when there are none. */
export function percentile(latencies: number[], p: number): string {
  if (latencies.length === 0) return "-";
  const s = [...latencies].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1);
}

/** `p50 … p95 … p99 … max … ms` of `latencies`. */
export function latencySummary(latencies: number[]): string {
  const at = (p: number) => percentile(latencies, p);
  return `p50 ${at(0.5)}  p95 ${at(0.95)}  p99 ${at(0.99)}  max ${at(1)} ms`;
}

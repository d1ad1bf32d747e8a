import type { AddressInfo } from "node:net";
import { loadTls, serveApp } from "./api/node-server.ts";
import { startingResponse } from "./api/starting.ts";
import { compose, type System } from "./compose.ts";
import { EnvError, parseEnv } from "./config/env.ts";
import { tightenHeapGrowth } from "./heap-growth.ts";
import { createLogger } from "./logger.ts";
import { connectUrl, removeRunFile, writeRunFile } from "./run-file.ts";
import { privateUmask, protectDataDir } from "./store/data-dir-permissions.ts";

/** One line saying why the port could not be bound. */
function listenFailure(err: NodeJS.ErrnoException, host: string, port: number): string {
  if (err.code === "EADDRINUSE")
    return `port ${port} on ${host} is already in use (EADDRINUSE): stop what listens there, or set PORT`;
  if (err.code === "EACCES")
    return `not allowed to listen on port ${port} on ${host} (EACCES): set PORT above 1023`;
  if (err.code === "EADDRNOTAVAIL") return `${host} is no address of this machine (EADDRNOTAVAIL): set HOST`;
  return `cannot listen on ${host}:${port} (${err.code ?? err.message})`;
}

/**
 * Entry point of `npm start`: parse the environment, bind the port (one in use stops the start before
 * any work is done), compose the service while answering 503 SERVICE_STARTING, then serve; the run
 * file in DATA_DIR tells the command-line tools where the service is. Stops cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  tightenHeapGrowth();
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(env.LOG_LEVEL);
  // A certificate that cannot be used stops the start before any work is done.
  const tls = env.TLS_CERT_FILE ? await loadTls(env.TLS_CERT_FILE, env.TLS_KEY_FILE!) : undefined;
  let system: System | undefined;
  const server = serveApp((req, e) => (system ? system.app.fetch(req, e) : startingResponse(req)), {
    hostname: env.HOST,
    port: env.PORT,
    ...(tls ? { tls } : {}),
  });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => resolve(server.address() as AddressInfo));
  }).catch((err: NodeJS.ErrnoException) => {
    throw new Error(listenFailure(err, env.HOST, env.PORT));
  });
  const url = connectUrl(env.HOST, address.port, !!tls);
  const run = {
    pid: process.pid,
    url,
    authMode: env.AUTH_MODE,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    ...(env.TLS_CERT_FILE ? { tlsCertFile: env.TLS_CERT_FILE } : {}),
    startedAt: new Date().toISOString(),
  };
  privateUmask();
  await protectDataDir(env.DATA_DIR);
  await writeRunFile(env.DATA_DIR, { ...run, state: "starting" });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const forced = setTimeout(() => process.exit(1), 15_000);
    forced.unref();
    // The tools stop sending here first; then open requests finish and the service closes.
    await removeRunFile(env.DATA_DIR).catch(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await system?.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  try {
    system = await compose(env, logger);
  } catch (err) {
    await removeRunFile(env.DATA_DIR).catch(() => undefined);
    server.close();
    throw err;
  }
  await writeRunFile(env.DATA_DIR, { ...run, state: "ready" });
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  logger.info(
    { url: `${tls ? "https" : "http"}://${host}:${address.port}`, store: env.STORE, search: env.SEARCH },
    "listening",
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

import { loadTls, serveApp } from "./api/node-server.ts";
import { compose } from "./compose.ts";
import { EnvError, parseEnv } from "./config/env.ts";
import { tightenHeapGrowth } from "./heap-growth.ts";
import { createLogger } from "./logger.ts";

/** Entry point of `npm start`: parse the environment, compose the service, serve HTTP, stop cleanly. */
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
  const system = await compose(env, logger);
  const server = serveApp(system.app.fetch, {
    hostname: env.HOST,
    port: env.PORT,
    ...(tls ? { tls } : {}),
    onListening: (info) => {
      const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
      const scheme = tls ? "https" : "http";
      logger.info(
        { url: `${scheme}://${host}:${info.port}`, store: env.STORE, search: env.SEARCH },
        "listening",
      );
    },
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const forced = setTimeout(() => process.exit(1), 15_000);
    forced.unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await system.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err: unknown) => {
  process.stderr.write(`failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "./api/app.ts";
import { loadOrCreateAuditKey } from "./api/audit.ts";
import { assertDevAllowed, loadOrCreateDevKeys, mintDevToken } from "./api/auth/dev-keys.ts";
import type { TokenVerifier } from "./api/auth/principal.ts";
import { createJwksVerifier, createLocalVerifier } from "./api/auth/token-verifier.ts";
import { createDeliveryMetrics } from "./api/delivery-metrics.ts";
import { createPromiseTimings } from "./api/promise-timings.ts";
import type { WebAppOptions } from "./api/routes/app.ts";
import type { Services } from "./api/services.ts";
import { createSharedLockout } from "./api/shared-lockout.ts";
import { createSharedRateLimiter } from "./api/shared-rate-limit.ts";
import { createInstanceId } from "./cluster/instance-id.ts";
import { createLeaseKeeper } from "./cluster/lease-keeper.ts";
import type { Env } from "./config/env.ts";
import { createCoverageService } from "./coverage/coverage-service.ts";
import { createProductCatalogue } from "./coverage/product-catalogue.ts";
import { DEMO_CATALOGUE } from "./demo/catalogue.ts";
import { DEMO_PARTNER_RECORDS, demoDeliveries } from "./demo/demo-portfolio.ts";
import { createIndexer, ENGINE_BULK_DOCS } from "./indexer/indexer.ts";
import { createDeliveryIntake, type DeliveryIntake } from "./ingest/delivery-intake.ts";
import { repositoryProfiles } from "./ingest/read-delivery.ts";
import { createJobRunner } from "./jobs/job-runner.ts";
import type { Logger } from "./logger.ts";
import { createPartnerRegistry } from "./partners/partner-registry.ts";
import { erasePerson } from "./privacy/erase-person.ts";
import { runPurge } from "./retention/purge-run.ts";
import { type Clock, parseTimeOfDay, startPurgeSchedule } from "./retention/purge-schedule.ts";
import { createEngine } from "./search/create-engine.ts";
import { createCustomerSearch } from "./search/customer-search-service.ts";
import { withSearchDeadline } from "./search/search-deadline.ts";
import {
  createWorkerCustomerSearch,
  createWorkerSerialisedSearch,
  WorkerSearchEngine,
} from "./search/worker-engine.ts";
import { createStore } from "./store/create-store.ts";
import { type DataDirLock, lockDataDir } from "./store/data-dir-lock.ts";
import { privateUmask, protectDataDir } from "./store/data-dir-permissions.ts";
import type { Store } from "./store/store.ts";

/** The composed service: the HTTP app, the services behind it, and a clean stop. */
export interface System {
  app: ReturnType<typeof createApp>;
  services: Services;
  close(): Promise<void>;
}

/** Test and embedding hooks; production passes none. */
export interface ComposeOptions {
  verifier?: TokenVerifier;
  /** A store built elsewhere (e.g. MongoDB with its own database name). */
  store?: Store;
  /** Index name prefix for Elasticsearch/OpenSearch, so test runs do not collide. */
  enginePrefix?: string;
  /** The API's clock (rate limits, lockouts, receivedAt); tests move it. */
  now?: () => number;
  /** Time and timers of the daily purge (tests move time on by hand). */
  clock?: Clock;
  /**
   * Waits between tries of an engine or store that went away (default from 200 ms, doubling up to
   * 30 s); tests make them short. How long in all: ENGINE_RETRY_MAX_SECONDS.
   */
  backoff?: { baseDelayMs: number; maxDelayMs: number };
  /** This instance's id among several on one store (default: host, pid and a random tail). */
  instanceId?: string;
}

/** Builds the token verifier the environment asks for (dev: the DATA_DIR key pair; jwks: the remote key set). */
export async function createVerifier(env: Env): Promise<TokenVerifier> {
  const limits = { maxTokenAgeSeconds: env.AUTH_MAX_TOKEN_AGE_SECONDS };
  if (env.AUTH_MODE === "jwks")
    return createJwksVerifier(env.AUTH_JWKS_URL!, env.AUTH_ISSUER, env.AUTH_AUDIENCE, limits);
  assertDevAllowed(env.NODE_ENV);
  const keys = await loadOrCreateDevKeys(env.DATA_DIR);
  return createLocalVerifier([keys.publicJwk], env.AUTH_ISSUER, env.AUTH_AUDIENCE, limits);
}

/**
 * The composition root: store, engine, indexer, search, intake, catalogue, coverage and jobs, wired
 * once. Resumes interrupted deliveries, and fills an empty store with the demo portfolio when asked.
 */
export async function compose(env: Env, logger: Logger, options: ComposeOptions = {}): Promise<System> {
  // A bad partner profile file stops the start here, rather than failing deliveries later.
  await repositoryProfiles();
  privateUmask();
  await protectDataDir(env.DATA_DIR);
  // The embedded store and engine serve one instance: a second process on this DATA_DIR is refused.
  const embedded = env.STORE === "sqlite" || env.SEARCH === "embedded";
  const dataDirLock: DataDirLock | undefined =
    embedded && !options.store ? lockDataDir(env.DATA_DIR) : undefined;
  const store = options.store ?? createStore(env);
  const retry = {
    baseDelayMs: options.backoff?.baseDelayMs ?? 200,
    maxDelayMs: options.backoff?.maxDelayMs ?? 30_000,
    maxWaitMs: env.ENGINE_RETRY_MAX_SECONDS * 1000,
  };
  await store.init();
  const partners = createPartnerRegistry(store);
  const flagged = await partners.registerHeldPartners();
  if (flagged.length > 0)
    logger.warn(
      { partners: flagged },
      "partners registered from existing data, flagged for an admin to complete (VRA agreement date unknown)",
    );
  // Several instances on one MongoDB share deliveries, jobs, rate limits and lockouts through it.
  const instanceId = options.instanceId ?? createInstanceId();
  const leases = createLeaseKeeper({
    leases: store.leases,
    owner: instanceId,
    ttlMs: env.LEASE_TTL_MS,
    logger,
  });
  const shared = store.kind === "mongodb";
  logger.info(
    { instance: instanceId, store: store.kind, search: env.SEARCH },
    shared
      ? "several instances may share this store: deliveries, jobs, rate limits and lockouts are coordinated through it"
      : "embedded default: one instance on this DATA_DIR",
  );
  // The embedded engine runs searches on a worker thread by default: one HTTP thread saturated at
  // 16 clients, and search was half of each request's CPU. Its own heap holds 100,000 decoded
  // documents (~200 MB): 200,000 customers over HTTP took 1.39 CPU-ms a request, against 1.51 with
  // 20,000 (http bench, quiet 2-vCPU Xeon, 2026-11-25).
  const worker =
    env.SEARCH === "embedded" && env.SEARCH_WORKER === "on"
      ? new WorkerSearchEngine({ dataDir: env.DATA_DIR, docCache: 100_000 })
      : undefined;
  const engine = worker ?? createEngine(env, options.enginePrefix ? { prefix: options.enginePrefix } : {});
  await engine.init();
  // What init made under a wider umask than ours (an embedding process) is tightened too.
  await protectDataDir(env.DATA_DIR);
  const indexer = createIndexer({
    store,
    engine,
    logger,
    dataDir: env.DATA_DIR,
    retry,
    leases,
    ...(env.SEARCH === "embedded" ? {} : { batchSize: ENGINE_BULK_DOCS }),
  });
  // A remote engine may stop answering; the embedded one answers or fails, and a search that waits for
  // it under load must not turn into a 503 (the request's own timeout still cancels it).
  const searchDeadline = env.SEARCH === "embedded" ? Number.POSITIVE_INFINITY : env.SEARCH_TIMEOUT_MS;
  const search = withSearchDeadline(
    worker ? createWorkerCustomerSearch(worker) : createCustomerSearch({ engine, logger }),
    searchDeadline,
  );
  const intake = createDeliveryIntake({
    store,
    indexer,
    logger,
    batchSize: env.INGEST_BATCH_ROWS,
    storeRetry: retry,
    porCodes: env.porCodes,
    leases,
  });
  const products = createProductCatalogue(store);
  const coverage = createCoverageService({ store, catalogue: products });
  // The last purge's receipt, for /metrics: the newest on record, then each purge as it ends.
  let lastPurge = (await store.recentJobs("purge", 50)).find(
    (j) => j.status === "completed" && !j.dryRun && j.receipt,
  )?.receipt;
  const jobs = createJobRunner({
    store,
    indexer,
    purge: (onProgress, { dryRun }) =>
      runPurge(
        {
          store,
          indexer,
          engine,
          retentionMonths: env.RETENTION_MONTHS,
          auditRetentionMonths: env.AUDIT_RETENTION_MONTHS,
          logger,
        },
        { dryRun: dryRun === true, onProgress },
      ),
    erase: (subject, onProgress) => erasePerson({ store, indexer, engine, logger }, subject, onProgress),
    logger,
    onFinished(job) {
      if (job.type === "purge" && job.status === "completed" && !job.dryRun && job.receipt)
        lastPurge = job.receipt;
    },
    leases,
  });
  // Deliveries accepted and not yet settled: the ingest queue depth /metrics shows.
  const inFlight = new Set<string>();
  const deliveryMetrics = createDeliveryMetrics();
  const track = (id: string) => {
    inFlight.add(id);
    // Only the count is wanted here: a store closed at shutdown before the delivery settles is no error.
    void intake
      .whenSettled(id)
      .then((d) => deliveryMetrics.settled(d))
      .catch(() => undefined)
      .finally(() => inFlight.delete(id));
  };
  const trackedIntake: DeliveryIntake = {
    ...intake,
    async submit(input) {
      const delivery = await intake.submit(input);
      track(delivery.id);
      return delivery;
    },
  };
  const services: Services = {
    store,
    engine,
    search,
    ...(worker
      ? { serialisedSearch: withSearchDeadline(createWorkerSerialisedSearch(worker), searchDeadline) }
      : {}),
    intake: trackedIntake,
    coverage,
    products,
    partners,
    jobs,
    queueDepths: () => ({ ingest: inFlight.size, jobs: jobs.pending() }),
    lastPurge: () => lastPurge,
    deliveryMetrics,
  };

  // Resumed deliveries count here only for the embedded default: with several instances any of them
  // may finish what a dead one left (deliveries_open on /metrics counts those).
  const resumed = await intake.resume();
  if (!shared) for (const id of resumed) track(id);
  if (env.DEMO_DATA === "on") await loadDemo(services, logger);

  const now = options.now ?? Date.now;
  const lockoutRules = {
    attempts: env.VERIFY_LOCKOUT_ATTEMPTS,
    windowMs: env.VERIFY_LOCKOUT_MINUTES * 60_000,
    lockMs: env.VERIFY_LOCKOUT_MINUTES * 60_000,
  };
  const rateLimiter = shared
    ? createSharedRateLimiter({
        counters: store.counters,
        writer: instanceId,
        now,
        syncMs: env.RATE_LIMIT_SYNC_MS,
        logger,
      })
    : undefined;
  const app = createApp(services, {
    verifier: options.verifier ?? (await createVerifier(env)),
    auditKey: await loadOrCreateAuditKey(env.DATA_DIR),
    logger,
    rateLimits: {
      perRole: {
        agent: env.RATE_LIMIT_AGENT_PER_MINUTE,
        "intake-bot": env.RATE_LIMIT_BOT_PER_MINUTE,
        admin: env.RATE_LIMIT_ADMIN_PER_MINUTE,
        ingest: env.RATE_LIMIT_INGEST_PER_MINUTE,
      },
      otherPerMinute: env.RATE_LIMIT_BOT_PER_MINUTE,
      anonymousPerMinute: env.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
    },
    lockoutRules,
    ...(rateLimiter ? { rateLimiter } : {}),
    ...(shared
      ? {
          verificationLockout: createSharedLockout(lockoutRules, {
            counters: store.counters,
            leases: store.leases,
            now,
          }),
        }
      : {}),
    allowedNetworks: env.ALLOWED_NETWORKS,
    trustedProxies: env.TRUSTED_PROXIES,
    ...(options.now ? { now: options.now } : {}),
    ...(env.CORS_ORIGINS ? { corsOrigins: env.CORS_ORIGINS.split(",").map((s) => s.trim()) } : {}),
    web: await webAppOptions(env),
    timings: createPromiseTimings({ file: join(env.DATA_DIR, "app-timings.jsonl") }),
  });

  const purgeAt = parseTimeOfDay(env.PURGE_SCHEDULE);
  const schedule = purgeAt
    ? startPurgeSchedule({
        at: purgeAt,
        jobs,
        latestPurge: async () => (await store.recentJobs("purge", 50)).find((j) => !j.dryRun) ?? null,
        ...(options.clock ? { clock: options.clock } : {}),
        logger,
      })
    : undefined;

  return {
    app,
    services,
    async close() {
      schedule?.stop();
      await app.flushAudit();
      // Let running work finish (main.ts forces an exit after 15 s; resume() picks up the rest).
      rateLimiter?.close();
      await rateLimiter?.sync().catch(() => {});
      await Promise.all([jobs.onIdle(), intake.close()]);
      await leases.close();
      await engine.close();
      await store.close();
      dataDirLock?.release();
    },
  };
}

/** The build folder of the application (`npm run build:web`, run by `npm ci`). */
export const WEB_DIR = fileURLToPath(new URL("../dist/web", import.meta.url));

/** How the application is served: its folder, its sign-in configuration, and in dev mode the token it signs in with. */
async function webAppOptions(env: Env): Promise<WebAppOptions> {
  if (env.AUTH_MODE === "dev") {
    assertDevAllowed(env.NODE_ENV);
    const keys = await loadOrCreateDevKeys(env.DATA_DIR);
    return {
      dir: WEB_DIR,
      config: { authMode: "dev" },
      mintDevToken: (role, sub, ttlSeconds) =>
        mintDevToken(keys, { role, sub, ttlSeconds, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE }),
    };
  }
  const issuer = env.OIDC_ISSUER ?? env.AUTH_ISSUER;
  return {
    dir: WEB_DIR,
    config: {
      authMode: "jwks",
      ...(env.OIDC_CLIENT_ID
        ? {
            oidc: {
              issuer,
              clientId: env.OIDC_CLIENT_ID,
              scope: env.OIDC_SCOPE,
              ...(env.OIDC_RESOURCE ? { resource: env.OIDC_RESOURCE } : {}),
            },
          }
        : {}),
    },
  };
}

/** Fills an empty store with the demo catalogue and portfolio, through the same intake as real deliveries. */
async function loadDemo(services: Services, logger: Logger): Promise<void> {
  if ((await services.store.countCustomers()) > 0) return;
  for (const product of DEMO_CATALOGUE) await services.products.put(product);
  for (const { id, input } of DEMO_PARTNER_RECORDS)
    if (!(await services.partners.get(id))) await services.partners.put(id, input, "demo");
  const ids: string[] = [];
  for (const d of demoDeliveries()) {
    // Demo rows carry DEMO- policy and relatienummers; the delivery itself is submitted by "demo".
    const delivery = await services.intake.submit({
      partner: d.partner,
      kind: "full",
      format: "csv",
      profile: "standaard",
      channel: "upload",
      submittedBy: "demo",
      body: (async function* () {
        yield new TextEncoder().encode(d.csv);
      })(),
    });
    ids.push(delivery.id);
  }
  logger.info({ deliveries: ids.length }, "demo portfolio submitted (marked demo)");
}

import { parseArgs } from "node:util";
import { assertDevAllowed, loadOrCreateDevKeys, mintDevToken } from "../api/auth/dev-keys.ts";
import { Role } from "../api/auth/principal.ts";
import { EnvError, parseEnv } from "../config/env.ts";
import { PartnerId } from "../domain/partner.ts";

const USAGE =
  "usage: npm run token -- --role agent|intake-bot|ingest|admin|privacy [--sub NAME] [--partner ID] [--ttl SECONDS]";

/** `npm run token`: prints a signed dev JWT for the local service (AUTH_MODE=dev only). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: "string", multiple: true },
      sub: { type: "string" },
      partner: { type: "string" },
      ttl: { type: "string", default: "3600" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = parseEnv();
  if (env.AUTH_MODE !== "dev") throw new EnvError("npm run token works only with AUTH_MODE=dev");
  assertDevAllowed(env.NODE_ENV);
  const roles = (values.role ?? []).flatMap((r) => r.split(","));
  if (roles.length === 0) throw new EnvError(`--role is required\n${USAGE}`);
  const parsed = roles.map((r) => {
    const ok = Role.safeParse(r);
    if (!ok.success)
      throw new EnvError(`unknown role ${JSON.stringify(r)}; one of ${Role.options.join(", ")}`);
    return ok.data;
  });
  if (parsed.includes("ingest") && !values.partner) throw new EnvError("an ingest token needs --partner");
  // The service refuses every delivery of a partner the registry does not hold (PARTNER_UNKNOWN), so
  // the code must be one the registry can hold: register it with PUT /v1/partners/{id}.
  if (values.partner && !PartnerId.safeParse(values.partner).success)
    throw new EnvError("--partner must be a partner code: letters, digits, - and _ (at most 64)");
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > env.AUTH_MAX_TOKEN_AGE_SECONDS)
    throw new EnvError(
      `--ttl must be whole seconds, at most AUTH_MAX_TOKEN_AGE_SECONDS (${env.AUTH_MAX_TOKEN_AGE_SECONDS})`,
    );
  const keys = await loadOrCreateDevKeys(env.DATA_DIR);
  const token = await mintDevToken(keys, {
    role: parsed,
    ...(values.sub ? { sub: values.sub } : {}),
    ...(values.partner ? { partner: values.partner } : {}),
    ttlSeconds: ttl,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

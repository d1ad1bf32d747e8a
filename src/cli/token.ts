import { resolve } from "node:path";
import { assertDevAllowed, loadOrCreateDevKeys, mintDevToken } from "../api/auth/dev-keys.ts";
import { Role } from "../api/auth/principal.ts";
import { parseEnv } from "../config/env.ts";
import { PartnerId } from "../domain/partner.ts";
import { readRunFile } from "../run-file.ts";
import { CliError, parseCli, runCli, UsageError } from "./cli-args.ts";

const SPEC = {
  name: "token",
  usage: `usage: npm run -s token -- --role ROLE[,ROLE…] [--sub NAME] [--partner ID] [--ttl SECONDS]

Prints a signed dev JWT (AUTH_MODE=dev only) for the service on DATA_DIR: it is signed with the key
pair in DATA_DIR (dev-auth-key.json), read from the environment as the service reads it, so run it with
the same DATA_DIR as \`npm start\` (default ./data). A running service's issuer and audience are used.
  --role ROLE     ${Role.options.join(", ")} (repeat or comma-separate for several)
  --sub NAME      the token's subject, as the audit log names it (default dev-ROLE)
  --partner ID    the partner an ingest token delivers for (required with --role ingest)
  --ttl SECONDS   lifetime (default 3600, at most AUTH_MAX_TOKEN_AGE_SECONDS)
  -h, --help      this text`,
};

/** `npm run token`: prints a signed dev JWT for the local service (AUTH_MODE=dev only). */
async function main(): Promise<void> {
  const { values, positionals } = parseCli(SPEC, {
    role: { type: "string", multiple: true },
    sub: { type: "string" },
    partner: { type: "string" },
    ttl: { type: "string", default: "3600" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const roles = (values.role ?? []).flatMap((r) => r.split(","));
  if (roles.length === 0) throw new UsageError("--role is required");
  const parsed = roles.map((r) => {
    const ok = Role.safeParse(r);
    if (!ok.success)
      throw new UsageError(`unknown role ${JSON.stringify(r)}; one of ${Role.options.join(", ")}`);
    return ok.data;
  });
  if (parsed.includes("ingest") && !values.partner) throw new UsageError("an ingest token needs --partner");
  // The service refuses every delivery of a partner the registry does not hold (PARTNER_UNKNOWN), so
  // the code must be one the registry can hold: register it with PUT /v1/partners/{id}.
  if (values.partner && !PartnerId.safeParse(values.partner).success)
    throw new UsageError("--partner must be a partner code: letters, digits, - and _ (at most 64)");
  const env = parseEnv();
  const running = await readRunFile(env.DATA_DIR);
  if (running?.authMode === "jwks" || (!running && env.AUTH_MODE !== "dev"))
    throw new CliError(
      `the service on DATA_DIR=${env.DATA_DIR} uses AUTH_MODE=jwks: its tokens come from the identity provider (npm run token signs for AUTH_MODE=dev only)`,
    );
  assertDevAllowed(env.NODE_ENV);
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > env.AUTH_MAX_TOKEN_AGE_SECONDS)
    throw new UsageError(
      `--ttl must be whole seconds, at most AUTH_MAX_TOKEN_AGE_SECONDS (${env.AUTH_MAX_TOKEN_AGE_SECONDS})`,
    );
  if (!running)
    process.stderr.write(
      `token: no service runs on DATA_DIR=${resolve(env.DATA_DIR)}; this token is for a service started on it\n`,
    );
  const keys = await loadOrCreateDevKeys(env.DATA_DIR);
  const token = await mintDevToken(keys, {
    role: parsed,
    ...(values.sub ? { sub: values.sub } : {}),
    ...(values.partner ? { partner: values.partner } : {}),
    ttlSeconds: ttl,
    issuer: running?.issuer ?? env.AUTH_ISSUER,
    audience: running?.audience ?? env.AUTH_AUDIENCE,
  });
  process.stdout.write(`${token}\n`);
}

runCli(SPEC, main);

import { resolve } from "node:path";
import { parseEnv } from "../config/env.ts";
import { backupDataDir } from "../store/data-dir-backup.ts";
import { privateUmask } from "../store/data-dir-permissions.ts";
import { parseCli, runCli, UsageError } from "./cli-args.ts";

const SPEC = {
  name: "backup",
  usage: `usage: npm run backup -- --out DIR

Backs up DATA_DIR (as the service reads it from the environment) into DIR, a new or empty directory,
while the service runs: each SQLite database (the store klantherkenning.db, the audit log audit.db, the
embedded search index search.sqlite) as a consistent snapshot, then the keys (dev-auth-key.json,
audit-hmac.key), the delivered files and the logs; backup.json lists what was taken.
Restore: stop nothing; copy DIR to a new DATA_DIR (cp -a DIR/. NEW/), start the service on it, and ask
a reindex job (POST /v1/jobs {"type":"reindex"}) so the index agrees with the store exactly.
With STORE=mongodb the store is in MongoDB: back that up with mongodump; this still takes the keys.
  --out DIR     where the backup goes (must not exist or be empty)
  -h, --help    this text`,
};

/** `npm run backup -- --out DIR`: an online backup of DATA_DIR (see the usage above). */
async function main(): Promise<void> {
  const { values, positionals } = parseCli(SPEC, { out: { type: "string" } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (!values.out) throw new UsageError("--out DIR is required");
  const env = parseEnv();
  privateUmask();
  const started = performance.now();
  const manifest = await backupDataDir(env.DATA_DIR, values.out);
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  for (const d of manifest.databases) process.stderr.write(`backup: ${d.name} ${mib(d.bytes)}\n`);
  process.stderr.write(
    `backup: ${manifest.files} other files ${mib(manifest.fileBytes)}; DATA_DIR ${resolve(env.DATA_DIR)} into ${resolve(values.out)} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (env.STORE === "mongodb")
    process.stderr.write("backup: the store is in MongoDB (STORE=mongodb): back it up with mongodump\n");
}

runCli(SPEC, main);

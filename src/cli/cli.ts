import { EnvError, parseEnv } from "../config/env.ts";
import { AppError } from "../domain/errors.ts";
import type { PartnerQualityReport } from "../quality/partner-quality.ts";
import { partnerQuality } from "../quality/quality-service.ts";
import { createStore } from "../store/create-store.ts";
import { parseCli, runCli, usageFail } from "./cli-args.ts";

const USAGE = `usage: npm run cli -- COMMAND [options]

commands:
  quality PARTNER [--months N] [--json]
      The partner's data-quality report from the configured store (STORE, DATA_DIR, MONGODB_URL):
      per delivery (newest first), its use per month, and the checks of its onboarding phase.
      --months N  months of usage shown (1-24, default 6)
      --json      the report as JSON (as GET /v1/partners/{id}/quality answers it)

  --help, -h    this text`;

const SPEC = { name: "cli", usage: USAGE };

function fail(message: string): never {
  usageFail(SPEC, message);
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

/** A plain text table: a header row, then the rows, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The report as the terminal shows it: summary, deliveries (the trend), usage, checks. */
export function formatQualityReport(r: PartnerQualityReport): string {
  const out: string[] = [];
  out.push(`${r.partner.name} (${r.partner.id}, ${r.partner.type}), phase ${r.partner.phase}`);
  out.push(
    r.lastFullDelivery
      ? `last full delivery ${r.lastFullDelivery.receivedAt.slice(0, 10)}, ${r.daysSinceLastFull} days ago`
      : "no full delivery yet",
  );
  out.push("");
  out.push("deliveries (newest first)");
  out.push(
    table(
      [
        "received",
        "kind",
        "format",
        "status",
        "rows",
        "rejected",
        "birth",
        "phone",
        "email",
        "postcode",
        "huisnr",
        "naam+geb",
        "pc+hnr",
        "dupl",
        "onb.prod",
        "gedeeld",
        "beëindigd",
      ],
      r.deliveries.map((d) => [
        d.receivedAt.slice(0, 10),
        d.kind,
        d.format,
        d.status,
        String(d.rows),
        `${d.rejected} (${pct(d.rejectedShare)})`,
        pct(d.completeness.birthDate),
        pct(d.completeness.phone),
        pct(d.completeness.email),
        pct(d.completeness.postcode),
        pct(d.completeness.houseNumber),
        pct(d.findability.nameBirthDate),
        pct(d.findability.postcodeHouseNumber),
        String(d.duplicatePolicyNumbers),
        String(d.unknownProducts.rows),
        String(d.sharedCustomers),
        String(d.ended),
      ]),
    ),
  );
  const latest = r.deliveries[0];
  if (latest && Object.keys(latest.rejectedByReason).length > 0) {
    out.push("");
    out.push("rejected rows of the latest delivery by field");
    out.push(
      table(
        ["field", "rows"],
        Object.entries(latest.rejectedByReason)
          .sort((a, b) => b[1] - a[1])
          .map(([field, n]) => [field, String(n)]),
      ),
    );
  }
  out.push("");
  out.push("use of its data (from the audit log)");
  out.push(
    table(
      ["month", "lookups", "assessments"],
      r.usage.map((u) => [u.month, `${u.lookups}${u.truncated ? "+" : ""}`, String(u.assessments)]),
    ),
  );
  out.push("");
  out.push(
    `checks of phase ${r.checks.phase}${r.checks.nextPhase ? ` (to ${r.checks.nextPhase})` : ""}: ${
      r.checks.mayMoveOn
        ? "all pass, may move on"
        : `failing: ${r.checks.failing.join(", ") || "no figures yet"}`
    }`,
  );
  out.push(
    table(
      ["check", "value", "bound", ""],
      r.checks.results.map((c) => [
        c.label,
        c.value === null ? "-" : String(c.value),
        `${c.op === "min" ? "≥" : "≤"} ${c.bound}`,
        c.passed ? "ok" : "FAIL",
      ]),
    ),
  );
  return out.join("\n");
}

/** `npm run cli -- quality PARTNER`: operator commands against the configured store. */
async function main(): Promise<void> {
  const { values, positionals } = parseCli(SPEC, {
    months: { type: "string", default: "6" },
    json: { type: "boolean", default: false },
  });
  if (positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command, partner, ...rest] = positionals;
  if (command !== "quality") fail(`unknown command ${JSON.stringify(command)}`);
  if (!partner || rest.length > 0) fail("quality needs exactly one PARTNER");
  const months = Number(values.months);
  if (!Number.isInteger(months) || months < 1 || months > 24) fail("--months must be a whole number 1-24");
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv();
  } catch (err) {
    if (err instanceof EnvError) fail(err.message);
    throw err;
  }
  const store = createStore(env);
  await store.init();
  try {
    const report = await partnerQuality(store, partner, { months });
    process.stdout.write(
      values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatQualityReport(report)}\n`,
    );
  } catch (err) {
    if (err instanceof AppError) fail(`${err.code}: ${err.message}`);
    throw err;
  } finally {
    await store.close();
  }
}

if (import.meta.main) runCli(SPEC, main);

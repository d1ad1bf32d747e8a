import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_CATALOGUE } from "../../src/demo/catalogue.ts";
import type { PartnerQualityReport } from "../../src/quality/partner-quality.ts";
import type { Store } from "../../src/store/store.ts";
import { signedPartner } from "../support/partners.ts";
import { type Harness, startHarness } from "./support/harness.ts";

const HEADER =
  "polisnummer;relatienummer;voorletters;achternaam;geboortedatum;straat;huisnummer;postcode;woonplaats;telefoon;email;product;dekkingen;ingangsdatum";

/**
 * A partner with deliberately poor data, 20 rows: 4 rejected (3 bad postcodes, 1 without product),
 * 16 accepted of which 8 without a birth date, 12 without a phone, 14 without e-mail, 2 repeating a
 * policy number, 2 with a product the catalogue lacks and 1 with a module its product lacks.
 */
function poorPortfolio(): string {
  const lines = [HEADER];
  for (let i = 1; i <= 20; i++) {
    const birth = i <= 8 ? "" : `0${(i % 9) + 1}-03-1970`;
    const phone = i <= 12 ? "" : `06-1234${String(i).padStart(4, "0")}`;
    const email = i <= 14 ? "" : `klant${i}@example.nl`;
    const postcode = i >= 18 ? "12AB" : `1${String(i).padStart(3, "0")} AB`;
    const number = i === 5 || i === 6 ? "POOR-4" : `POOR-${i}`;
    const product = i === 17 ? "" : i === 9 || i === 10 ? "RB-ONBEKEND" : "RB-PARTICULIER";
    const modules = i === 11 ? "CONS,ZWEMMEN" : "CONS";
    lines.push(
      `${number};R${i};A.;Slordig${i};${birth};Laan;${i};${postcode};Utrecht;${phone};${email};${product};${modules};01-01-2024`,
    );
  }
  return lines.join("\n");
}

/** The quality report through the API and the CLI, over a store adapter. */
export function runQualityCases(newStore?: () => Store): void {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness({}, newStore ? { store: newStore() } : {});
    admin = await h.token("admin", { sub: "admin-1" });
    for (const p of DEMO_CATALOGUE) await h.call("PUT", `/v1/products/${p.code}`, { token: admin, json: p });
    const put = await h.call("PUT", "/v1/partners/POOR-P", {
      token: admin,
      json: signedPartner({ name: "Slordige Volmacht", phase: "pilot" }),
    });
    expect(put.status).toBe(200);
    const res = await h.call("POST", "/v1/deliveries?partner=POOR-P&kind=full", {
      token: await h.token("ingest", { partner: "POOR-P" }),
      body: poorPortfolio(),
    });
    await h.system.services.intake.whenSettled(((await res.json()) as { id: string }).id);
    // Use of its data: a lookup that returns one of its customers, and an assessment on one.
    const agent = await h.token("agent");
    const found = await h.call("POST", "/v1/search", { token: agent, json: { policyNumber: "POOR-16" } });
    expect(found.status).toBe(200);
    const assessed = await h.call("POST", "/v1/coverage/assessments", {
      token: agent,
      json: { policyNumber: "POOR-16", incidentDate: "2025-06-01", legalArea: "consument" },
    });
    expect(assessed.status).toBe(200);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("shows the figures of a partner with poor data, the failing checks of its phase, and its use", async () => {
    const res = await h.call("GET", "/v1/partners/POOR-P/quality", { token: admin });
    expect(res.status).toBe(200);
    const r = (await res.json()) as PartnerQualityReport;
    expect(r.partner).toMatchObject({ id: "POOR-P", name: "Slordige Volmacht", phase: "pilot" });
    expect(r.daysSinceLastFull).toBe(0);
    const d = r.deliveries[0]!;
    expect(d).toMatchObject({
      kind: "full",
      rows: 20,
      accepted: 16,
      rejected: 4,
      rejectedShare: 0.2,
      rejectedByReason: { postcode: 3, product: 1 },
      duplicatePolicyNumbers: 2,
      unknownProducts: { rows: 2, codes: ["RB-ONBEKEND"] },
      unknownModules: { rows: 1, codes: ["ZWEMMEN"] },
      sharedCustomers: 0,
    });
    // 16 accepted rows (all persons): birth dates on rows 9-16 (8), phones on 13-16 (4), e-mail on 15-16 (2).
    expect(d.completeness).toEqual({
      birthDate: 0.5,
      phone: 0.25,
      email: 0.125,
      postcode: 1,
      houseNumber: 1,
    });
    expect(d.findability).toEqual({ nameBirthDate: 0.5, postcodeHouseNumber: 1, phone: 0.25 });
    expect(r.trend).toHaveLength(1);
    expect(r.trend[0]).toMatchObject({ rejectedShare: 0.2, birthDate: 0.5 });
    expect(r.checks).toMatchObject({ phase: "pilot", nextPhase: "live", mayMoveOn: false });
    expect(r.checks.failing).toEqual(
      expect.arrayContaining([
        "REJECTED_ROWS",
        "BIRTH_DATE",
        "FINDABLE_NAME_BIRTH_DATE",
        "DUPLICATES",
        "UNKNOWN_PRODUCTS",
      ]),
    );
    expect(r.checks.failing).not.toContain("POSTCODE");
    const month = r.usage.at(-1)!;
    expect(month).toMatchObject({ lookups: 1, assessments: 1, truncated: false });
    expect(r.usage).toHaveLength(6);
  });

  it("is for admins only, and 404 for an unregistered partner", async () => {
    expect(
      (await h.call("GET", "/v1/partners/POOR-P/quality", { token: await h.token("agent") })).status,
    ).toBe(403);
    expect((await h.call("GET", "/v1/partners/NOBODY/quality", { token: admin })).status).toBe(404);
  });

  if (!newStore) {
    it("npm run cli -- quality PARTNER prints the report as tables; --help answers", () => {
      const cli = fileURLToPath(new URL("../../src/cli/cli.ts", import.meta.url));
      const env = { ...process.env, DATA_DIR: h.dataDir, STORE: "sqlite" };
      const run = spawnSync(process.execPath, [cli, "quality", "POOR-P"], { env, encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Slordige Volmacht \(POOR-P, volmacht\), phase pilot/);
      expect(run.stdout).toMatch(/postcode\s+3/);
      expect(run.stdout).toMatch(/failing: .*BIRTH_DATE/);
      const json = spawnSync(process.execPath, [cli, "quality", "POOR-P", "--json"], {
        env,
        encoding: "utf8",
      });
      expect((JSON.parse(json.stdout) as PartnerQualityReport).deliveries[0]?.rejected).toBe(4);
      const help = spawnSync(process.execPath, [cli, "--help"], { env, encoding: "utf8" });
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/quality PARTNER/);
      const unknown = spawnSync(process.execPath, [cli, "quality", "NOBODY"], { env, encoding: "utf8" });
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(/NOT_FOUND/);
    });
  }
}

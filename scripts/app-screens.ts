/**
 * Screenshots of the application's main screens for the README (docs/screens/*.png), taken in
 * headless Chromium against the real service with the demo portfolio: `npm run screens`.
 */
import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { launchChromium } from "../test/e2e/support/browser.ts";
import { demoReady, startService } from "../test/e2e/support/service.ts";

const OUT = "docs/screens";

async function signIn(page: Page, role = "agent", name = "Sanne Jansen"): Promise<void> {
  await page.getByLabel("Rol").selectOption(role);
  await page.getByLabel("Naam").fill(name);
  await page.getByRole("button", { name: "Inloggen" }).click();
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const service = await startService();
  const browser = await launchChromium();
  try {
    await demoReady(service.base);
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "nl-NL" });
    const page = await context.newPage();
    await page.goto(service.base);
    await page.getByLabel("Naam").fill("Sanne Jansen");
    await page.screenshot({ path: `${OUT}/sign-in.png` });
    await signIn(page);
    const box = page.getByRole("combobox", { name: "Zoeken" });
    await box.pressSequentially("de vreis", { delay: 40 });
    await page.getByRole("option").first().waitFor();
    await box.press("ArrowDown");
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/search.png` });

    await page
      .getByRole("option", { name: /A\.M\. de Vries/ })
      .first()
      .click();
    await page.getByRole("heading", { name: "A.M. de Vries", level: 1 }).waitFor();
    const check = page.getByRole("region", { name: "Dekking beoordelen" });
    await check.getByLabel("Rechtsgebied").selectOption("arbeid");
    await check.getByLabel("Datum gebeurtenis").fill("03-02-2025");
    await check.getByLabel("Datum melding").fill("10-02-2025");
    await check.getByLabel("Schadebedrag").fill("2.500,00");
    await check.getByRole("button", { name: "Beoordeel dekking" }).click();
    await page.getByRole("status").filter({ hasText: /\S/ }).waitFor();
    await page.screenshot({ path: `${OUT}/customer-card.png` });
    await page.emulateMedia({ media: "print" });
    await page.screenshot({ path: `${OUT}/customer-card-print.png`, fullPage: true });
    await page.emulateMedia({ media: "screen" });

    const caller = await context.newPage();
    await caller.goto(`${service.base}/#/beller/0612345678`);
    await signIn(caller);
    await caller.getByRole("link", { name: /A\.M\. de Vries/ }).waitFor();
    await caller.waitForTimeout(500);
    await caller.screenshot({ path: `${OUT}/caller-view.png` });

    const phone = await context.newPage();
    await phone.goto(`${service.base}/#/polis-doorgeven`);
    await signIn(phone);
    await phone.getByRole("form", { name: "Polis telefonisch doorgeven" }).waitFor();
    await phone.getByLabel("Product").selectOption("RB-PARTICULIER");
    await phone.screenshot({ path: `${OUT}/phone-policy.png` });

    const large = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: "nl-NL" });
    const wide = await large.newPage();
    await wide.goto(service.base);
    await signIn(wide);
    await wide.getByRole("combobox", { name: "Zoeken" }).fill("meer amsterdam");
    await wide.getByRole("option").first().click();
    await wide.getByRole("heading", { level: 1 }).waitFor();
    await wide.waitForTimeout(500);
    await wide.screenshot({ path: `${OUT}/customer-card-large.png` });

    const admin = await context.newPage();
    await admin.goto(`${service.base}/#/beheer`);
    await signIn(admin, "admin", "Beheerder Bram");
    await admin.getByRole("table").waitFor();
    await admin.screenshot({ path: `${OUT}/admin-promise.png` });
    console.log(`screens written to ${OUT}/`);
  } finally {
    await browser.close();
    await service.stop();
  }
}

await main();

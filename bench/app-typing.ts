/**
 * `npm run bench -- app-typing [--customers N] [--queries N] [--interval MS]`: from a keystroke in the
 * application's search box to that text's results on screen, measured in headless Chromium against the
 * real service (embedded default, search worker on) holding N generated customers (default 200,000).
 * Each query is typed key by key at a steady pace; for every keystroke that asks the service (two
 * characters or more) the time runs from the keydown to the frame after the answer for exactly that
 * text is in the list. A keystroke whose answer never showed because the next key came first counts as
 * superseded. Figures: p50, p95, max in ms.
 */
import { parseArgs } from "node:util";
import { generatePortfolio } from "../src/demo/generator.ts";
import { launchChromium } from "../test/e2e/support/browser.ts";
import { startService } from "../test/e2e/support/service.ts";
import { basePortfolio } from "./base-portfolio.ts";
import { HTTP_BENCH_PORTFOLIO } from "./http-queries.ts";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "200000" },
    queries: { type: "string", default: "40" },
    interval: { type: "string", default: "120" },
  },
});
const customers = Number(values.customers);
const queryCount = Number(values.queries);
const interval = Number(values.interval);

/** What agents type: name and city, surname and postcode, and names with a slip of the finger. */
function typedQueries(): string[] {
  const out: string[] = [];
  const step = Math.max(1, Math.floor(customers / (queryCount * 2)));
  let n = 0;
  for (const row of generatePortfolio({ ...HTTP_BENCH_PORTFOLIO, customers })) {
    if (n++ % step !== 0 || row.person.kind !== "P") continue;
    const p = row.person;
    const surname = [p.tussenvoegsel, p.surname].filter(Boolean).join(" ");
    const first = p.firstNames.split(" ")[0] ?? "";
    const kind = out.length % 3;
    if (kind === 0) out.push(`${first} ${surname} ${p.city}`.toLowerCase());
    else if (kind === 1) out.push(`${surname} ${p.postcode.replace(" ", "")}`.toLowerCase());
    else {
      // Two neighbouring letters of the surname swapped.
      const s = p.surname.toLowerCase();
      const i = Math.min(s.length - 2, 2);
      const typo = s.length > 3 ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s;
      out.push([p.tussenvoegsel, typo, p.city.toLowerCase()].filter(Boolean).join(" "));
    }
    if (out.length >= queryCount) break;
  }
  return out;
}

// Runs in the page: keydown times, and the frame after the list shows the answer for a text.
const PROBE = `(() => {
  const box = document.getElementById("q");
  const list = document.getElementById("results");
  const pending = new Map();
  window.__typing = { done: [], superseded: 0 };
  box.addEventListener("keydown", () => {
    const t0 = performance.now();
    queueMicrotask(() => {});
    setTimeout(() => {
      const text = box.value.trim();
      if (text.length < 2) return;
      for (const [k] of pending) if (k !== text) { pending.delete(k); window.__typing.superseded++; }
      if (!pending.has(text)) pending.set(text, t0);
    }, 0);
  }, true);
  new MutationObserver(() => {
    let shown;
    try { shown = JSON.parse(list.dataset.answered || "null")?.q; } catch { return; }
    const t0 = shown === undefined ? undefined : pending.get(shown);
    if (t0 === undefined) return;
    pending.delete(shown);
    requestAnimationFrame(() => setTimeout(() => window.__typing.done.push(performance.now() - t0), 0));
  }).observe(list, { attributes: true, childList: true, subtree: true });
})()`;

async function main(): Promise<void> {
  const queries = typedQueries();
  const base = await basePortfolio(customers);
  const service = await startService(
    { DEMO_DATA: "off", RATE_LIMIT_AGENT_PER_MINUTE: "100000" },
    { dataDir: `${base.dir}/data` },
  );
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await page.goto(service.base);
    await page.getByLabel("Rol").selectOption("agent");
    await page.getByLabel("Naam").fill("Bench");
    await page.getByRole("button", { name: "Inloggen" }).click();
    const box = page.getByRole("combobox", { name: "Zoeken" });
    await box.waitFor();
    // One warm-up query (worker, caches) that is not counted.
    await box.pressSequentially("jansen amsterdam", { delay: interval });
    await page.waitForTimeout(500);
    await box.press("Escape");
    await page.evaluate(PROBE);
    const t0 = performance.now();
    for (const q of queries) {
      await box.pressSequentially(q, { delay: interval });
      await page.waitForTimeout(400);
      await box.press("Escape");
    }
    const seconds = (performance.now() - t0) / 1000;
    const { done, superseded } = (await page.evaluate("window.__typing")) as {
      done: number[];
      superseded: number;
    };
    const sorted = [...done].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
    console.log(
      JSON.stringify({
        customers,
        queries: queries.length,
        keystrokesMeasured: sorted.length,
        superseded,
        typingIntervalMs: interval,
        keystrokeToResultsMs: { p50: +at(0.5).toFixed(1), p95: +at(0.95).toFixed(1), max: +at(1).toFixed(1) },
        seconds: +seconds.toFixed(1),
      }),
    );
  } finally {
    await browser.close();
    await service.stop();
    base.dispose();
  }
}

await main();

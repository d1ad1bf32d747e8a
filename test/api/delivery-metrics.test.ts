import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PORTFOLIO_A, registerTestPartners } from "./support/fixtures.ts";
import { type Harness, startHarness } from "./support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await registerTestPartners(h);
});
afterAll(() => h?.close());

/** The value of one sample of the exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf("}"));
    const have = inside.split(",");
    if (wanted.every((w) => have.includes(w)) && have.length === wanted.length)
      return Number(line.split(" ").at(-1));
  }
  return 0;
}

describe("/metrics counts what deliveries brought", () => {
  it("delivered, accepted and rejected rows, and deliveries by outcome, per partner and format", async () => {
    const admin = await h.token("admin");
    const header = PORTFOLIO_A.split("\n")[0]!;
    const send = async (partner: string, kind: string, body: string) => {
      const res = await h.call("POST", `/v1/deliveries?partner=${partner}&kind=${kind}`, {
        token: admin,
        body,
      });
      const { id } = (await res.json()) as { id: string };
      return h.system.services.intake.whenSettled(id);
    };
    // Three valid rows and one with a broken postcode; then a full delivery without a valid row (failed).
    const broken = PORTFOLIO_A.split("\n")[1]!.replace("1234 AB", "12345").replace("VA-1001", "VA-1009");
    await send("VOLMACHT-A", "mutation", `${PORTFOLIO_A}\n${broken}`);
    const failed = await send("TUSSEN-B", "full", `${header}\nnot;a;row`);
    expect(failed.status).toBe("failed");
    // Settled deliveries are counted once their settling is seen: wait for the counters, not a clock.
    let text = "";
    await vi.waitFor(
      async () => {
        text = await (await h.call("GET", "/metrics")).text();
        expect(
          sample(text, "deliveries_total", { partner: "TUSSEN-B", format: "csv", status: "failed" }),
        ).toBe(1);
      },
      { timeout: 20_000 },
    );
    const a = { partner: "VOLMACHT-A", format: "csv" };
    expect(sample(text, "deliveries_total", { ...a, status: "completed" })).toBe(1);
    expect(sample(text, "delivery_rows_total", a)).toBe(4);
    expect(sample(text, "delivery_rows_accepted_total", a)).toBe(3);
    expect(sample(text, "delivery_rows_rejected_total", a)).toBe(1);
    const b = { partner: "TUSSEN-B", format: "csv" };
    expect(sample(text, "deliveries_total", { ...b, status: "failed" })).toBe(1);
    expect(sample(text, "delivery_rows_rejected_total", b)).toBe(1);
  });
});

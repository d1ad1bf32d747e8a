import { describe, expect, it } from "vitest";
import type { SubjectReport } from "./subject-report.ts";
import { escapeHtml, subjectReportHtml } from "./subject-report-html.ts";

const report = (surname: string): SubjectReport => ({
  customerId: "c-1",
  generatedAt: "2026-12-07T10:00:00.000Z",
  customer: {
    customerId: "c-1",
    party: { kind: "P", surname, birthDate: "1961-04-17" },
    address: { street: "Kerkstraat", houseNumber: 1, country: "NL" },
    phones: [],
    partnerRefs: [{ partner: "VOLMACHT-A" }],
    matchKeys: [],
    deliveryIds: ["d-1"],
    updatedAt: "2026-01-01T00:00:00.000Z",
  },
  policies: [],
  deliveries: [],
  lookups: [
    {
      at: "2026-02-01T00:00:00.000Z",
      subject: "agent<1>",
      roles: ["agent"],
      endpoint: "POST /v1/search",
      fields: ["name"],
      outcome: "ok",
    },
  ],
  lookupsTruncated: false,
});

describe("the printable subject report", () => {
  it("escapes every delivered value: markup in a name is shown as text, never run", () => {
    const html = subjectReportHtml(report(`<script>alert("x")</script><img src=x onerror=alert(1)>`));
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;",
    );
    expect(html).toContain("agent&lt;1&gt;");
  });

  it("links its stylesheet instead of carrying style or script, and says 'Geen.' for empty sections", () => {
    const html = subjectReportHtml(report("Jansen"));
    expect(html).toContain('<link rel="stylesheet" href="/privacy/report.css">');
    expect(html).not.toMatch(/<style| style=|<script/);
    expect(html).toContain("<h2>Polissen en hun geschiedenis</h2>\n<p>Geen.</p>");
  });

  it.each([
    [`a&b`, "a&amp;b"],
    [`"'`, "&quot;&#39;"],
    [undefined, ""],
    [12, "12"],
  ])("escapeHtml(%s) is %s", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

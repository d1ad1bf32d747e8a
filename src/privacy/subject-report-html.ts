import type { Address, Party, Policy } from "../domain/model.ts";
import type { SubjectReport } from "./subject-report.ts";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** The stylesheet the printable page links to (served at REPORT_CSS_PATH; the page has no inline style). */
export const REPORT_CSS = `body{font-family:system-ui,sans-serif;margin:2rem;color:#111;line-height:1.4}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#eee}dl{display:grid;grid-template-columns:max-content auto;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
.meta{color:#555}@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}`;

/** Where the report's stylesheet is served. */
export const REPORT_CSS_PATH = "/privacy/report.css";

/**
 * The subject report as a printable HTML page (Dutch, as the privacy officer reads it). Every value
 * is escaped; no script and no inline style, so it is served under the same content security policy
 * as the application.
 */
export function subjectReportHtml(r: SubjectReport): string {
  const c = r.customer;
  const rows = (cells: unknown[][]) =>
    cells.map((row) => `<tr>${row.map((v) => `<td>${escapeHtml(v)}</td>`).join("")}</tr>`).join("");
  const table = (head: string[], body: unknown[][]) =>
    body.length === 0
      ? "<p>Geen.</p>"
      : `<table><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows(body)}</tbody></table>`;
  const dl = (pairs: Array<[string, unknown]>) =>
    `<dl>${pairs
      .filter(([, v]) => v !== undefined && v !== "")
      .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
      .join("")}</dl>`;
  const policy = (p: Policy) =>
    `<h3>Polis ${escapeHtml(p.policyNumber)} (${escapeHtml(p.partner)})</h3>${table(
      ["Geldig vanaf", "Geldig tot", "Product", "Dekkingen", "Status", "Ingang", "Einde", "Aanleveringen"],
      p.versions.map((v) => [
        v.validFrom,
        v.validTo ?? "",
        v.product,
        v.modules.join(", "),
        v.status,
        v.startDate,
        v.endDate ?? "",
        v.deliveryIds.join(", "),
      ]),
    )}`;
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>Inzage persoonsgegevens ${escapeHtml(r.customerId)}</title>
<link rel="stylesheet" href="${REPORT_CSS_PATH}">
</head>
<body>
<main>
<h1>Inzage persoonsgegevens (AVG artikel 15)</h1>
<p class="meta">Klant ${escapeHtml(r.customerId)} — opgesteld ${escapeHtml(r.generatedAt)}</p>
<h2>Klantgegevens</h2>
${dl([
  ...partyPairs(c.party),
  ...addressPairs(c.address),
  ["Telefoon", c.phones.map((p) => p.raw).join(", ")],
  ["E-mail", c.email],
  [
    "Relatienummers",
    c.partnerRefs
      .map((p) => `${p.partner}${p.partnerCustomerNumber ? ` ${p.partnerCustomerNumber}` : ""}`)
      .join(", "),
  ],
  ["Laatst bijgewerkt", c.updatedAt],
  ["Herkenningssleutels", c.matchKeys.join(", ")],
])}
<h2>Polissen en hun geschiedenis</h2>
${r.policies.length === 0 ? "<p>Geen.</p>" : r.policies.map(policy).join("\n")}
<h2>Aanleveringen waarin de gegevens stonden</h2>
${table(
  ["Partner", "Ontvangen", "Kanaal", "Soort", "Formaat", "Status", "Bestand"],
  r.deliveries.map((d) => [d.partner, d.receivedAt, d.channel, d.kind, d.format, d.status, d.fileId]),
)}
<h2>Raadplegingen die deze klant toonden</h2>
<p class="meta">Wanneer, wie (rol en gebruiker) en op welke velden is gezocht; nooit de gezochte waarden.${
    r.lookupsTruncated ? " Alleen de nieuwste raadplegingen staan hier; er zijn er meer." : ""
  }</p>
${table(
  ["Wanneer", "Gebruiker", "Rol", "Handeling", "Velden", "Uitkomst"],
  r.lookups.map((l) => [l.at, l.subject, l.roles.join(", "), l.endpoint, l.fields.join(", "), l.outcome]),
)}
</main>
</body>
</html>
`;
}

function partyPairs(p: Party): Array<[string, unknown]> {
  return [
    ["Soort", p.kind === "Z" ? "bedrijf" : "persoon"],
    ["Voorletters", p.initials],
    ["Voornamen", p.firstNames],
    ["Tussenvoegsel", p.tussenvoegsel],
    ["Achternaam", p.surname],
    ["Bedrijfsnaam", p.companyName],
    ["KvK", p.kvk],
    ["Geboortedatum", p.birthDate],
    ["Geslacht", p.gender],
  ];
}

function addressPairs(a: Address): Array<[string, unknown]> {
  const number = a.houseNumber ? `${a.houseNumber}${a.houseNumberAddition ?? ""}` : "";
  return [
    ["Adres", [a.street, number].filter(Boolean).join(" ")],
    ["Postcode en plaats", [a.postcode, a.city].filter(Boolean).join(" ")],
    ["Land", a.country],
  ];
}

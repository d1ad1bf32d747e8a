import type { LegalArea, ServiceAdviceType } from "../api/types.ts";

/** Legal areas (rechtsgebieden) as an agent says them. */
export const LEGAL_AREA_LABELS: Record<LegalArea, string> = {
  consument: "Consument en koop",
  wonen: "Wonen en huur",
  buren: "Burenrecht",
  arbeid: "Arbeid",
  verkeer: "Verkeer",
  inkomen: "Inkomen en uitkering",
  fiscaal: "Fiscaal",
  familie: "Familie en scheiding",
  personenschade: "Personenschade",
  erfrecht: "Erfrecht",
  vermogen: "Vermogen",
  medisch: "Medisch",
  reizen: "Reizen en recreatie",
  ondernemen: "Ondernemen",
};

/** Verdicts as the contract names them on screen. */
export const VERDICT_LABELS = {
  covered: "Gedekt",
  not_covered: "Niet gedekt",
  needs_review: "Beoordeling nodig",
} as const;

/** Policy statuses in words. */
export const STATUS_LABELS: Record<string, string> = {
  actief: "Actief",
  geroyeerd: "Beëindigd (geroyeerd)",
  geschorst: "Geschorst",
};

/** Kinds of service (dienstverlening) the advice names. */
export const SERVICE_LABELS: Record<ServiceAdviceType, string> = {
  "juridisch-advies": "Juridisch advies aan de telefoon",
  zaakbehandeling: "Zaakbehandeling door een jurist",
  mediation: "Mediation",
  doorverwijzing: "Doorverwijzen naar een andere instantie",
};

/** Delivery channels. */
export const CHANNEL_LABELS: Record<string, string> = {
  upload: "bestand (upload)",
  portal: "portaal",
  polischeck: "polischeck",
  phone: "telefonisch doorgegeven",
};

/** Match kinds as a short word beside a highlighted part. */
export const MATCH_KIND_LABELS: Record<string, string> = {
  exact: "gelijk",
  folded: "gelijk (zonder accenten)",
  phonetic: "klinkt gelijk",
  typo: "lijkt erop (tikfout)",
  prefix: "begin komt overeen",
  partial: "deels gelijk",
};

/** Roles a dev sign-in can pick. */
export const ROLE_LABELS: Record<string, string> = {
  agent: "Medewerker juridisch servicecentrum (agent)",
  admin: "Beheerder (admin)",
};

const DATE = new Intl.DateTimeFormat("nl-NL", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});
const DATE_TIME = new Intl.DateTimeFormat("nl-NL", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Amsterdam",
});

/** `2024-03-01` → `1 maart 2024`. */
export function formatDate(iso: string | undefined | null): string {
  if (!iso) return "";
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : DATE.format(d);
}

/** An instant in Amsterdam time. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : DATE_TIME.format(d);
}

/** Euros in Dutch notation. */
export function formatEuro(n: number): string {
  return new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" }).format(n);
}

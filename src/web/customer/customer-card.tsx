import { useEffect, useState } from "preact/hooks";
import { displayName } from "../../mappings/customer-doc.ts";
import { ApiError, api } from "../api/client.ts";
import type { CardPolicy, Customer, CustomerSources } from "../api/types.ts";
import { cardOpened } from "../promise/journey.ts";
import {
  CHANNEL_LABELS,
  formatDate,
  formatDateTime,
  formatEuro,
  LEGAL_AREA_LABELS,
  STATUS_LABELS,
} from "../ui/labels.ts";
import { CoverageCheck } from "./coverage-check.tsx";

type Sources = CustomerSources["sources"];

/** The customer card: who, where, how to reach them, every policy of every partner, its history and sources. */
export function CustomerCard({ customerId }: { customerId: string }) {
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [sources, setSources] = useState<Sources>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setCustomer(null);
    setError(null);
    api<Customer>("GET", `/v1/customers/${encodeURIComponent(customerId)}`, undefined, {
      signal: controller.signal,
    })
      .then((c) => {
        setCustomer(c);
        cardOpened();
      })
      .catch((err) => {
        if (controller.signal.aborted) return;
        setError(
          err instanceof ApiError && err.status === 404
            ? "Deze klant bestaat niet (meer)."
            : "De klantkaart kon niet worden geladen.",
        );
      });
    api<CustomerSources>("GET", `/v1/customers/${encodeURIComponent(customerId)}/sources`, undefined, {
      signal: controller.signal,
    })
      .then((s) => setSources(s.sources))
      .catch(() => {});
    return () => controller.abort();
  }, [customerId]);

  useEffect(() => {
    if (customer) document.getElementById("card-title")?.focus();
  }, [customer]);

  if (error)
    return (
      <section>
        <h1>Klantkaart</h1>
        <p class="error" role="alert">
          {error}
        </p>
      </section>
    );
  if (!customer)
    return (
      <p class="muted" aria-busy="true">
        Klantkaart laden…
      </p>
    );

  const name = displayName(customer);
  const p = customer.party;
  const a = customer.address;
  const delivered = new Map(sources.map((s) => [s.deliveryId, s]));
  return (
    <article class="card-layout" aria-labelledby="card-title">
      <div class="card-main">
        <header class="card-header panel">
          <h1 id="card-title" tabIndex={-1}>
            {name}
          </h1>
          <dl class="facts">
            <dt>Soort</dt>
            <dd>{p.kind === "Z" ? "Bedrijf" : "Persoon"}</dd>
            {p.firstNames ? (
              <>
                <dt>Voornamen</dt>
                <dd>{p.firstNames}</dd>
              </>
            ) : null}
            {p.birthDate ? (
              <>
                <dt>Geboortedatum</dt>
                <dd>{formatDate(p.birthDate)}</dd>
              </>
            ) : null}
            {p.kvk ? (
              <>
                <dt>KvK-nummer</dt>
                <dd>{p.kvk}</dd>
              </>
            ) : null}
            <dt>Adres</dt>
            <dd>
              {[a.street, a.houseNumber, a.houseNumberAddition].filter(Boolean).join(" ")}
              {a.street || a.houseNumber ? <br /> : null}
              {[a.postcode, a.city].filter(Boolean).join(" ")}
              {a.country !== "NL" ? ` (${a.country})` : ""}
            </dd>
            <dt>Telefoon</dt>
            <dd>{customer.phones.length ? customer.phones.map((ph) => ph.raw).join(", ") : "onbekend"}</dd>
            <dt>E-mail</dt>
            <dd>{customer.email ?? "onbekend"}</dd>
            <dt>Bekend bij</dt>
            <dd>
              {customer.partnerRefs
                .map((r) =>
                  r.partnerCustomerNumber
                    ? `${r.partner} (relatienummer ${r.partnerCustomerNumber})`
                    : r.partner,
                )
                .join(", ")}
            </dd>
          </dl>
        </header>
        <section aria-labelledby="policies-title">
          <h2 id="policies-title">Polissen ({customer.policies.length})</h2>
          {customer.policies.map((pol) => (
            <PolicySection key={`${pol.partner}/${pol.policyNumber}`} policy={pol} delivered={delivered} />
          ))}
        </section>
        {customer.sources.length > 1 ? <PartnerVersions customer={customer} /> : null}
        <section aria-labelledby="sources-title" class="panel">
          <h2 id="sources-title">Herkomst van de gegevens</h2>
          {sources.length === 0 ? (
            <p class="muted">Geen leveringen bekend.</p>
          ) : (
            <table>
              <caption class="visually-hidden">Leveringen die deze klant bevatten, nieuwste eerst</caption>
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col">Geleverd</th>
                  <th scope="col">Kanaal</th>
                  <th scope="col">Soort</th>
                </tr>
              </thead>
              <tbody>
                {sources.map((s) => (
                  <tr key={s.deliveryId}>
                    <td>{s.partner}</td>
                    <td>{formatDateTime(s.receivedAt)}</td>
                    <td>
                      {CHANNEL_LABELS[s.channel] ?? s.channel}
                      {s.submittedBy ? ` door ${s.submittedBy}` : ""}
                    </td>
                    <td>{s.kind === "full" ? "volledige portefeuille" : "mutatie"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <div class="card-side">
        <CoverageCheck customer={customer} />
      </div>
    </article>
  );
}

/** What each partner says of the customer, newest first: the card's header shows what they add up to. */
function PartnerVersions({ customer }: { customer: Customer }) {
  return (
    <section aria-labelledby="says-title" class="panel">
      <h2 id="says-title">Wat elke partner zegt</h2>
      {customer.sources.map((s) => {
        const a = s.address;
        const street = [a.street, a.houseNumber, a.houseNumberAddition].filter(Boolean).join(" ");
        return (
          <section
            key={`${s.partner}/${s.channel ?? ""}/${s.deliveryId}`}
            aria-label={`Volgens ${s.partnerName ?? s.partner}`}
          >
            <h3>
              {s.partnerName ?? s.partner}
              {s.channel === "phone" ? `, ${CHANNEL_LABELS.phone}` : ""}{" "}
              <span class="muted">geleverd {formatDateTime(s.receivedAt)}</span>
            </h3>
            <dl class="facts">
              <dt>Naam</dt>
              <dd>
                {displayName({ customerId: customer.customerId, party: s.party })}
                {s.party.firstNames ? ` (${s.party.firstNames})` : ""}
              </dd>
              <dt>Geboortedatum</dt>
              <dd>{s.party.birthDate ? formatDate(s.party.birthDate) : "onbekend"}</dd>
              <dt>Adres</dt>
              <dd>
                {[street, [a.postcode, a.city].filter(Boolean).join(" ")].filter(Boolean).join(", ") ||
                  "onbekend"}
              </dd>
              <dt>Telefoon</dt>
              <dd>{s.phones.length ? s.phones.map((ph) => ph.raw).join(", ") : "onbekend"}</dd>
              <dt>E-mail</dt>
              <dd>{s.email ?? "onbekend"}</dd>
            </dl>
          </section>
        );
      })}
    </section>
  );
}

function PolicySection({
  policy,
  delivered,
}: {
  policy: CardPolicy;
  delivered: Map<string, Sources[number]>;
}) {
  const headingId = `pol-${policy.partner}-${policy.policyNumber}`.replace(/[^A-Za-z0-9_-]/g, "_");
  return (
    <section
      class={`panel policy${policy.activeToday ? "" : " policy-inactive"}`}
      aria-labelledby={headingId}
    >
      <h3 id={headingId}>
        Polis {policy.policyNumber} <span class="muted">bij {policy.partnerName ?? policy.partner}</span>
      </h3>
      <p class="policy-status">
        <span class={`chip chip-${policy.status}`}>{STATUS_LABELS[policy.status] ?? policy.status}</span>{" "}
        {policy.activeToday ? "loopt vandaag" : "loopt vandaag niet"}
        {policy.givenByPhone ? (
          <span class="chip chip-phone">
            telefonisch doorgegeven door {policy.givenByPhone.by} op {formatDateTime(policy.givenByPhone.at)}
          </span>
        ) : null}
      </p>
      <dl class="facts">
        <dt>Product</dt>
        <dd>
          {policy.productName ?? policy.product} ({policy.product})
        </dd>
        <dt>Looptijd</dt>
        <dd>
          vanaf {formatDate(policy.startDate)}
          {policy.endDate ? ` tot ${formatDate(policy.endDate)}` : ""}
        </dd>
        <dt>Gezinsdekking</dt>
        <dd>{policy.household ? "ja, gezinsleden zijn meeverzekerd" : "nee"}</dd>
        {policy.deductible !== undefined ? (
          <>
            <dt>Eigen risico</dt>
            <dd>{formatEuro(policy.deductible)}</dd>
          </>
        ) : null}
        <dt>Voorwaarden</dt>
        <dd>
          {policy.conditions
            ? `${policy.conditions.code}, geldig vanaf ${formatDate(policy.conditions.validFrom)}`
            : "onbekend"}
        </dd>
      </dl>
      <table>
        <caption>Dekkingen</caption>
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col">Rechtsgebieden</th>
            <th scope="col">Sinds</th>
            <th scope="col">Wachttijd tot</th>
          </tr>
        </thead>
        <tbody>
          {policy.modules.map((m) => (
            <tr key={m.code}>
              <td>
                {m.name ?? m.code} <span class="code">({m.code})</span>
                {m.known ? "" : " — onbekend in de productcatalogus"}
              </td>
              <td>{m.legalAreas.map((l) => LEGAL_AREA_LABELS[l]).join(", ") || "—"}</td>
              <td>{m.since ? formatDate(m.since) : "—"}</td>
              <td>{m.waitingPeriodEndsOn ? formatDate(m.waitingPeriodEndsOn) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {policy.clauses.length > 0 ? (
        <>
          <h4>Clausules</h4>
          <ul class="clauses">
            {policy.clauses.map((c) => (
              <li key={c.code}>
                <strong>{c.code}</strong>: {c.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <details>
        <summary>
          Tijdlijn ({policy.timeline.length} {policy.timeline.length === 1 ? "versie" : "versies"})
        </summary>
        <ol class="timeline">
          {[...policy.timeline].reverse().map((v) => (
            <li key={v.validFrom}>
              <strong>
                {formatDate(v.validFrom)}
                {v.validTo ? ` – ${formatDate(v.validTo)}` : " – heden"}
              </strong>
              : {STATUS_LABELS[v.status] ?? v.status}, {v.product}, modules {v.modules.join(", ") || "geen"}
              {v.modulesAdded.length && v.modulesAdded.length < v.modules.length
                ? `; erbij ${v.modulesAdded.join(", ")}`
                : ""}
              {v.modulesRemoved.length ? `; vervallen ${v.modulesRemoved.join(", ")}` : ""}
              {v.clausesAdded.length ? `; clausule erbij ${v.clausesAdded.join(", ")}` : ""}
              {v.clausesRemoved.length ? `; clausule vervallen ${v.clausesRemoved.join(", ")}` : ""}
              <br />
              <span class="muted">
                {v.deliveryIds
                  .map((id) => delivered.get(id))
                  .filter((s) => s !== undefined)
                  .map(
                    (s) =>
                      `${s.partner}, ${formatDate(s.receivedAt.slice(0, 10))}, ${CHANNEL_LABELS[s.channel] ?? s.channel}`,
                  )
                  .join("; ")}
              </span>
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}

import { useEffect, useState } from "preact/hooks";
import { ApiError, api } from "../api/client.ts";
import type { Result, SearchAnswer } from "../api/types.ts";
import { begin } from "../promise/journey.ts";
import { callerPhone } from "../router.ts";
import { ResultItem } from "../search/result-item.tsx";

interface Household {
  address: string;
  members: Result[];
}

/** Who is calling: the caller's customers at once (`POST /v1/callers`), with the household at that address. */
export function CallerScreen() {
  const phone = callerPhone.value;
  const [callers, setCallers] = useState<Result[] | null>(null);
  const [households, setHouseholds] = useState<Household[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!phone) return;
    begin("caller");
    const controller = new AbortController();
    const { signal } = controller;
    setCallers(null);
    setHouseholds([]);
    setError(null);
    (async () => {
      const found = await api<SearchAnswer>("POST", "/v1/callers", { phone }, { signal });
      setCallers(found.results);
      // The household: others at each caller's address (postcode + house number), callers left out.
      const ids = new Set(found.results.map((r) => r.customerId));
      const addresses = new Map<string, { postcode: string; houseNumber: string; label: string }>();
      for (const r of found.results) {
        const a = r.customer.address;
        if (!a.postcode || a.houseNumber === undefined) continue;
        const houseNumber = `${a.houseNumber}${a.houseNumberAddition ?? ""}`;
        addresses.set(`${a.postcode}|${houseNumber}`, {
          postcode: a.postcode,
          houseNumber,
          label:
            [a.street, a.houseNumber, a.houseNumberAddition].filter(Boolean).join(" ") +
            `, ${a.postcode} ${a.city ?? ""}`.trimEnd(),
        });
      }
      const result: Household[] = [];
      for (const addr of addresses.values()) {
        const at = await api<SearchAnswer>(
          "POST",
          "/v1/search",
          { postcode: addr.postcode, houseNumber: addr.houseNumber, limit: 20 },
          { signal },
        );
        const members = at.results.filter(
          (r) =>
            !ids.has(r.customerId) &&
            r.customer.address.postcode === addr.postcode &&
            `${r.customer.address.houseNumber ?? ""}${r.customer.address.houseNumberAddition ?? ""}` ===
              addr.houseNumber,
        );
        result.push({ address: addr.label, members });
      }
      setHouseholds(result);
    })().catch((err) => {
      if (signal.aborted) return;
      setError(err instanceof ApiError ? `Opzoeken lukte niet: ${err.message}` : "Opzoeken lukte niet.");
    });
    return () => controller.abort();
  }, [phone]);

  if (!phone)
    return (
      <section>
        <h1>Beller</h1>
        <p>Geen telefoonnummer ontvangen. Zoek de klant via het zoekscherm.</p>
        <p>
          <a href="#/">Naar klant zoeken</a>
        </p>
      </section>
    );

  return (
    <section aria-labelledby="caller-title">
      <h1 id="caller-title">Beller {phone}</h1>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {callers === null && !error ? <p class="muted">Zoeken…</p> : null}
      {callers !== null ? (
        <>
          <p aria-live="polite">
            {callers.length === 0
              ? "Geen klant met dit telefoonnummer. Zoek op naam of andere gegevens."
              : `${callers.length === 1 ? "Eén klant" : `${callers.length} klanten`} met dit telefoonnummer.`}
          </p>
          <ResultLinks results={callers} label="Klanten met dit nummer" />
        </>
      ) : null}
      {households.map((h) => (
        <section key={h.address} class="household" aria-label={`Huishouden op ${h.address}`}>
          <h2>Huishouden op {h.address}</h2>
          {h.members.length === 0 ? (
            <p class="muted">Geen andere klanten op dit adres.</p>
          ) : (
            <ResultLinks results={h.members} label={`Anderen op ${h.address}`} />
          )}
        </section>
      ))}
      {callers?.length === 0 ? (
        <p>
          <a href="#/">Naar klant zoeken</a>
        </p>
      ) : null}
    </section>
  );
}

function ResultLinks({ results, label }: { results: Result[]; label: string }) {
  return (
    <ul class="results results-static" aria-label={label}>
      {results.map((r) => (
        <li key={r.customerId} class="result">
          <a class="result-link" href={`#/klant/${encodeURIComponent(r.customerId)}`}>
            <ResultItem result={r} restricted={false} />
          </a>
        </li>
      ))}
    </ul>
  );
}

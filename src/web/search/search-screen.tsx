import { useEffect, useRef } from "preact/hooks";
import { endWithoutCustomer, keystroke } from "../promise/journey.ts";
import { navigate } from "../router.ts";
import { ResultItem } from "./result-item.tsx";
import {
  active,
  answer,
  answeredFor,
  answerKey,
  clearSearch,
  type Fields,
  fields,
  query,
  scheduleSearch,
  searchError,
  searching,
} from "./search-state.ts";

const FIELD_LABELS: Array<[keyof Fields, string, string]> = [
  ["birthDate", "Geboortedatum", "bijv. 12-03-1980"],
  ["postcode", "Postcode", "1234 AB"],
  ["houseNumber", "Huisnummer", "12a"],
  ["phone", "Telefoonnummer", "06 12345678"],
  ["policyNumber", "Polisnummer", ""],
];

/** The search box (WAI-ARIA combobox with a listbox of results), the structured fields, the results. */
export function SearchScreen() {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const a = answer.value;
  const results = a?.results ?? [];
  const open = results.length > 0;
  const restricted = a?.restricted === true;
  const current = answeredFor.value === answerKey(query.value, fields.value);

  const openCard = (index: number) => {
    const r = results[index];
    if (r) navigate({ screen: "customer", customerId: r.customerId });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown" && open) {
      e.preventDefault();
      active.value = Math.min(results.length - 1, active.value + 1);
    } else if (e.key === "ArrowUp" && open) {
      e.preventDefault();
      active.value = Math.max(-1, active.value - 1);
    } else if (e.key === "Enter" && open) {
      e.preventDefault();
      openCard(Math.max(0, active.value));
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (query.value || Object.values(fields.value).some(Boolean)) endWithoutCustomer();
      clearSearch();
    }
  };

  useEffect(() => {
    if (active.value < 0) return;
    document.getElementById(`result-${active.value}`)?.scrollIntoView({ block: "nearest" });
  }, [active.value]);

  const status = !a
    ? ""
    : a.results.length === 0
      ? "Geen klant gevonden."
      : `${a.results.length} ${a.results.length === 1 ? "klant" : "klanten"} gevonden${a.hasMore ? ", en meer dan getoond" : ""}.`;

  return (
    <section aria-labelledby="search-title" class="search">
      <h1 id="search-title">Klant zoeken</h1>
      <div class="searchbox">
        <label for="q">Zoeken</label>
        <input
          ref={input}
          id="q"
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls="results"
          aria-describedby="q-hint"
          aria-activedescendant={active.value >= 0 ? `result-${active.value}` : undefined}
          autocomplete="off"
          spellcheck={false}
          value={query.value}
          onInput={(e) => {
            keystroke();
            query.value = (e.currentTarget as HTMLInputElement).value;
            scheduleSearch();
          }}
          onKeyDown={onKeyDown}
        />
        <p id="q-hint" class="hint">
          Naam, adres, postcode, geboortedatum, telefoon- of polisnummer. <kbd>/</kbd> zoekt, <kbd>↑</kbd>{" "}
          <kbd>↓</kbd> kiest, <kbd>Enter</kbd> opent, <kbd>Esc</kbd> wist.
        </p>
      </div>
      <details class="fields">
        <summary>Gegevens van de beller</summary>
        <div class="field-grid">
          {FIELD_LABELS.map(([key, label, placeholder]) => (
            <div class="field" key={key}>
              <label for={`f-${key}`}>{label}</label>
              <input
                id={`f-${key}`}
                type="text"
                autocomplete="off"
                placeholder={placeholder}
                value={fields.value[key]}
                onInput={(e) => {
                  keystroke();
                  fields.value = { ...fields.value, [key]: (e.currentTarget as HTMLInputElement).value };
                  scheduleSearch();
                }}
                onKeyDown={(e) => {
                  if (e.key === "Escape") onKeyDown(e);
                }}
              />
            </div>
          ))}
        </div>
      </details>
      <p class="live" aria-live="polite">
        {status}
      </p>
      {searchError.value ? (
        <p class="error" role="alert">
          {searchError.value}
        </p>
      ) : null}
      {restricted ? (
        <p class="notice">
          Dit is te weinig om iemand te herkennen. Voeg een tweede gegeven toe, zoals de geboortedatum of
          postcode met huisnummer.
        </p>
      ) : null}
      {a?.hasMore ? (
        <p class="notice">Er zijn meer treffers dan hier getoond. Maak de zoekvraag specifieker.</p>
      ) : null}
      <div
        id="results"
        role="listbox"
        aria-label="Zoekresultaten"
        class={`results${searching.value || !current ? " results-stale" : ""}`}
        data-answered={answeredFor.value ?? ""}
        hidden={!open}
      >
        {results.map((r, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox handles the keys (aria-activedescendant)
          // biome-ignore lint/a11y/useFocusableInteractive: focus stays in the combobox; options are pointed at with aria-activedescendant (WAI-ARIA APG)
          <div
            key={r.customerId}
            id={`result-${i}`}
            role="option"
            aria-selected={i === active.value}
            class={`result${i === active.value ? " result-active" : ""}`}
            onClick={() => openCard(i)}
          >
            <ResultItem result={r} restricted={restricted} />
          </div>
        ))}
      </div>
    </section>
  );
}

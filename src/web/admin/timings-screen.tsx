import { useEffect, useState } from "preact/hooks";
import { ApiError, api } from "../api/client.ts";
import type { PromiseReport } from "../api/types.ts";

type Day = PromiseReport["days"][number];

const MEASURES: Array<[Day["measure"], string]> = [
  ["card", "Tot de juiste klantkaart"],
  ["verdict", "Tot een dekkingsoordeel"],
];
const STARTS: Record<Day["start"], string> = { caller: "vanaf bellerscherm", search: "vanaf eerste toets" };

const seconds = (ms: number | undefined) =>
  ms === undefined ? "—" : `${(ms / 1000).toLocaleString("nl-NL", { maximumFractionDigits: 1 })} s`;

/** The promise measured (admins): per day the median and 90th percentile, and searches without a customer. */
export function TimingsScreen() {
  const [report, setReport] = useState<PromiseReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<PromiseReport>("GET", "/v1/app/timings")
      .then(setReport)
      .catch((err) =>
        setError(
          err instanceof ApiError && err.status === 403 ? "Alleen voor beheerders." : "Laden lukte niet.",
        ),
      );
  }, []);
  const days = [...new Set(report?.days.map((d) => d.day) ?? [])];
  const get = (day: string, measure: Day["measure"], start: Day["start"]) =>
    report?.days.find((d) => d.day === day && d.measure === measure && d.start === start);
  const max = Math.max(1, ...(report?.days.map((d) => d.p90Ms ?? 0) ?? []));
  return (
    <section aria-labelledby="timings-title">
      <h1 id="timings-title">De belofte gemeten</h1>
      <p>
        Hoe lang het duurt van het openen van het bellerscherm of de eerste toets tot de juiste klantkaart en
        tot een dekkingsoordeel, en hoe vaak een zoekvraag eindigt zonder klant. Zonder persoonsgegevens.
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {report && days.length === 0 ? <p>Nog geen metingen.</p> : null}
      {days.length > 0 ? (
        <table class="timings">
          <caption>
            Mediaan en 90e percentiel per dag{" "}
            <span class="muted">(balk: donker de mediaan, licht het 90e percentiel)</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">Dag</th>
              <th scope="col">Meting</th>
              <th scope="col">Aantal</th>
              <th scope="col">Mediaan</th>
              <th scope="col">90e percentiel</th>
              <th scope="col">
                <span class="visually-hidden">Grafiek</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {days.flatMap((day) => [
              ...MEASURES.flatMap(([measure, label]) =>
                (["caller", "search"] as const).map((start) => {
                  const d = get(day, measure, start);
                  if (!d) return null;
                  return (
                    <tr key={`${day}-${measure}-${start}`}>
                      <td>{day}</td>
                      <td>
                        {label} <span class="muted">{STARTS[start]}</span>
                      </td>
                      <td>{d.count}</td>
                      <td>{seconds(d.medianMs)}</td>
                      <td>{seconds(d.p90Ms)}</td>
                      <td>
                        <svg class="bar" width="160" height="14" aria-hidden="true">
                          <rect x="0" y="3" height="8" width={(160 * (d.p90Ms ?? 0)) / max} class="bar-p90" />
                          <rect
                            x="0"
                            y="3"
                            height="8"
                            width={(160 * (d.medianMs ?? 0)) / max}
                            class="bar-median"
                          />
                        </svg>
                      </td>
                    </tr>
                  );
                }),
              ),
              ...(["search", "caller"] as const).map((start) => {
                const none = get(day, "no-customer", start)?.count ?? 0;
                const found = get(day, "card", start)?.count ?? 0;
                if (none + found === 0) return null;
                return (
                  <tr key={`${day}-none-${start}`}>
                    <td>{day}</td>
                    <td>
                      Zonder klant geëindigd <span class="muted">{STARTS[start]}</span>
                    </td>
                    <td>{none}</td>
                    <td colSpan={3}>
                      {Math.round((100 * none) / (none + found))}% van {none + found}
                    </td>
                  </tr>
                );
              }),
            ])}
          </tbody>
        </table>
      ) : null}
      <p class="muted">
        Dezelfde cijfers van vandaag staan op <code>/metrics</code> als <code>app_promise_seconds</code> en{" "}
        <code>app_promise_events</code>.
      </p>
    </section>
  );
}

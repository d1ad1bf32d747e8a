import { useRef, useState } from "preact/hooks";
import { parseAmount } from "../../domain/normalise/amount.ts";
import { parseDutchDate } from "../../domain/normalise/date.ts";
import { ApiError, api } from "../api/client.ts";
import type { Assessment, Customer, LegalArea } from "../api/types.ts";
import { verdictShown } from "../promise/journey.ts";
import { formatDate, formatEuro, LEGAL_AREA_LABELS, SERVICE_LABELS, VERDICT_LABELS } from "../ui/labels.ts";

type Errors = Partial<Record<"legalArea" | "incidentDate" | "reportedDate" | "claimAmount" | "form", string>>;

/** What the agent asked, kept with the answer for the printed claim file. */
interface Asked {
  legalArea: LegalArea;
  incidentDate: string;
  reportedDate?: string;
  claimAmount?: number;
  questionKind: "claim" | "advice";
}

const today = () => new Date().toLocaleDateString("en-CA", { timeZone: "Europe/Amsterdam" });

/** The coverage check on the card (`Dekking beoordelen`): the verdict in a live region, reasons, clauses, service advice. */
export function CoverageCheck({ customer }: { customer: Customer }) {
  const [legalArea, setLegalArea] = useState("");
  const [incident, setIncident] = useState("");
  const [reported, setReported] = useState(() => today().split("-").reverse().join("-"));
  const [amount, setAmount] = useState("");
  const [policy, setPolicy] = useState("");
  const [questionKind, setQuestionKind] = useState<"claim" | "advice">("claim");
  const [errors, setErrors] = useState<Errors>({});
  const [result, setResult] = useState<Assessment | null>(null);
  const [asked, setAsked] = useState<Asked | null>(null);
  const [busy, setBusy] = useState(false);
  const firstInvalid = useRef<HTMLElement | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const next: Errors = {};
    const incidentDate = parseDutchDate(incident);
    const reportedDate = reported.trim() ? parseDutchDate(reported) : null;
    const claimAmount = amount.trim() ? parseAmount(amount) : null;
    if (!legalArea) next.legalArea = "Kies het rechtsgebied.";
    if (!incidentDate) next.incidentDate = "Vul de datum van de gebeurtenis in, bijvoorbeeld 14-02-2025.";
    if (reported.trim() && !reportedDate)
      next.reportedDate = "Vul een geldige datum in, bijvoorbeeld 01-03-2025.";
    if (amount.trim() && claimAmount === null)
      next.claimAmount = "Vul een bedrag in euro's in, bijvoorbeeld 1.250,00.";
    setErrors(next);
    if (Object.keys(next).length > 0) {
      const id = {
        legalArea: "ca-area",
        incidentDate: "ca-incident",
        reportedDate: "ca-reported",
        claimAmount: "ca-amount",
      }[Object.keys(next)[0] as "legalArea"];
      firstInvalid.current = document.getElementById(id);
      firstInvalid.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const body = {
        customerId: customer.customerId,
        ...(policy ? { policyNumber: policy } : {}),
        legalArea,
        incidentDate: incidentDate!,
        ...(reportedDate ? { reportedDate } : {}),
        ...(claimAmount !== null ? { claimAmount } : {}),
        // Sent only when it is not the default (`claim`), so a service that does not know the field answers alike.
        ...(questionKind === "advice" ? { questionKind } : {}),
      };
      const answer = await api<Assessment>("POST", "/v1/coverage/assessments", body);
      setResult(answer);
      setAsked({
        legalArea: legalArea as LegalArea,
        incidentDate: incidentDate!,
        ...(reportedDate ? { reportedDate } : {}),
        ...(claimAmount !== null ? { claimAmount } : {}),
        questionKind,
      });
      verdictShown();
    } catch (err) {
      setResult(null);
      setErrors({
        form: err instanceof ApiError ? `Beoordelen lukte niet: ${err.message}` : "Beoordelen lukte niet.",
      });
    } finally {
      setBusy(false);
    }
  };

  const invalid = (k: keyof Errors) =>
    errors[k] ? { "aria-invalid": true, "aria-describedby": `${k}-error` } : {};
  const message = (k: keyof Errors) =>
    errors[k] ? (
      <p id={`${k}-error`} class="field-error">
        {errors[k]}
      </p>
    ) : null;

  /** A date field (dd-mm-jjjj) with its label and, when it is invalid, the message describing it. */
  const dateField = (id: string, label: string, k: keyof Errors, value: string, set: (v: string) => void) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        placeholder="dd-mm-jjjj"
        autocomplete="off"
        value={value}
        onInput={(e) => set(e.currentTarget.value)}
        {...invalid(k)}
      />
      {message(k)}
    </div>
  );

  return (
    <section aria-labelledby="coverage-title" class="coverage panel">
      <h2 id="coverage-title">Dekking beoordelen</h2>
      <form onSubmit={submit} noValidate class="coverage-form">
        <div class="field">
          <label for="ca-area">Rechtsgebied</label>
          <select
            id="ca-area"
            value={legalArea}
            onChange={(e) => setLegalArea(e.currentTarget.value)}
            {...invalid("legalArea")}
          >
            <option value="">Kies een rechtsgebied…</option>
            {(Object.keys(LEGAL_AREA_LABELS) as LegalArea[]).map((code) => (
              <option key={code} value={code}>
                {LEGAL_AREA_LABELS[code]}
              </option>
            ))}
          </select>
          {message("legalArea")}
        </div>
        <div class="field-row">
          {dateField("ca-incident", "Datum gebeurtenis", "incidentDate", incident, setIncident)}
          {dateField("ca-reported", "Datum melding", "reportedDate", reported, setReported)}
        </div>
        <div class="field-row">
          <div class="field">
            <label for="ca-amount">Schadebedrag</label>
            <input
              id="ca-amount"
              type="text"
              inputMode="decimal"
              placeholder="optioneel, in euro"
              autocomplete="off"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
              {...invalid("claimAmount")}
            />
            {message("claimAmount")}
          </div>
          <div class="field">
            <label for="ca-policy">Polis</label>
            <select id="ca-policy" value={policy} onChange={(e) => setPolicy(e.currentTarget.value)}>
              <option value="">Alle polissen van de klant</option>
              {customer.policies.map((p) => (
                <option key={`${p.partner}/${p.policyNumber}`} value={p.policyNumber}>
                  {p.policyNumber} ({p.partnerName ?? p.partner})
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset class="radios">
          <legend>Soort vraag</legend>
          <label>
            <input
              type="radio"
              name="questionKind"
              value="claim"
              checked={questionKind === "claim"}
              onChange={() => setQuestionKind("claim")}
            />{" "}
            Schade of geschil
          </label>
          <label>
            <input
              type="radio"
              name="questionKind"
              value="advice"
              checked={questionKind === "advice"}
              onChange={() => setQuestionKind("advice")}
            />{" "}
            Adviesvraag
          </label>
        </fieldset>
        <button type="submit" class="primary" disabled={busy}>
          Beoordeel dekking
        </button>
        {errors.form ? (
          <p class="error" role="alert">
            {errors.form}
          </p>
        ) : null}
      </form>
      <div class="verdict-area">
        <div role="status" class={`verdict${result ? ` verdict-${result.verdict}` : ""}`}>
          {result ? VERDICT_LABELS[result.verdict] : ""}
        </div>
        {result && asked ? <AssessmentDetails result={result} asked={asked} /> : null}
      </div>
    </section>
  );
}

/** Every reason, the policy and module used, the conditions and clause texts, and the service advice. */
function AssessmentDetails({ result, asked }: { result: Assessment; asked: Asked }) {
  return (
    <div class="assessment">
      <h3>Redenen</h3>
      <ul>
        {result.reasons.map((r) => (
          <li key={r.code}>
            {r.message} <span class="code">({r.code})</span>
          </li>
        ))}
      </ul>
      {result.serviceAdvice ? (
        <aside class="advice" aria-labelledby="advice-title">
          <h3 id="advice-title">Passende dienstverlening</h3>
          <p class="advice-type">{SERVICE_LABELS[result.serviceAdvice.type] ?? result.serviceAdvice.type}</p>
          <ul>
            {result.serviceAdvice.reasons.map((r) => (
              <li key={r.code}>{r.message}</li>
            ))}
          </ul>
        </aside>
      ) : null}
      <h3>Vraag</h3>
      <dl class="facts">
        <dt>Rechtsgebied</dt>
        <dd>{LEGAL_AREA_LABELS[asked.legalArea]}</dd>
        <dt>Soort vraag</dt>
        <dd>{asked.questionKind === "advice" ? "Adviesvraag" : "Schade of geschil"}</dd>
        <dt>Gebeurtenis</dt>
        <dd>{formatDate(asked.incidentDate)}</dd>
        {asked.reportedDate ? (
          <>
            <dt>Gemeld</dt>
            <dd>{formatDate(asked.reportedDate)}</dd>
          </>
        ) : null}
        {asked.claimAmount !== undefined ? (
          <>
            <dt>Schadebedrag</dt>
            <dd>{formatEuro(asked.claimAmount)}</dd>
          </>
        ) : null}
      </dl>
      {result.policy ? (
        <>
          <h3>Polis</h3>
          <dl class="facts">
            <dt>Polisnummer</dt>
            <dd>{result.policy.policyNumber}</dd>
            <dt>Partner</dt>
            <dd>{result.policy.partner}</dd>
            <dt>Product</dt>
            <dd>{result.policy.productName ?? result.policy.product}</dd>
            <dt>Looptijd</dt>
            <dd>
              vanaf {formatDate(result.policy.startDate)}
              {result.policy.endDate ? ` tot ${formatDate(result.policy.endDate)}` : ""}
            </dd>
            <dt>Gezinsdekking</dt>
            <dd>{result.policy.household ? "ja" : "nee"}</dd>
          </dl>
        </>
      ) : null}
      {result.module ? (
        <>
          <h3>Dekkingsmodule</h3>
          <dl class="facts">
            <dt>Module</dt>
            <dd>
              {result.module.name} ({result.module.code})
            </dd>
            <dt>Sinds</dt>
            <dd>{formatDate(result.module.since)}</dd>
            <dt>Wachttijd</dt>
            <dd>
              {result.module.waitingPeriodMonths} maanden, gedekt vanaf{" "}
              {formatDate(result.module.waitingPeriodEndsOn)}
            </dd>
            {result.module.minimumClaimAmount !== undefined ? (
              <>
                <dt>Minimaal belang</dt>
                <dd>{formatEuro(result.module.minimumClaimAmount)}</dd>
              </>
            ) : null}
          </dl>
        </>
      ) : null}
      {result.conditions ? (
        <p>
          Voorwaarden {result.conditions.code}, geldig vanaf {formatDate(result.conditions.validFrom)}.
        </p>
      ) : null}
      {result.clauses.length > 0 ? (
        <>
          <h3>Clausules</h3>
          <ul class="clauses">
            {result.clauses.map((c) => (
              <li key={c.code} class={c.excludesThisClaim ? "clause-excludes" : ""}>
                <strong>{c.code}</strong>
                {c.excludesThisClaim ? " (sluit deze zaak uit)" : ""}: {c.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {result.otherPolicies.length > 0 ? (
        <>
          <h3>Andere polissen</h3>
          <ul>
            {result.otherPolicies.map((p) => (
              <li key={`${p.partner}/${p.policyNumber}`}>
                {p.policyNumber} ({p.partner}, {p.product}): {VERDICT_LABELS[p.verdict]}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <button type="button" class="secondary no-print" onClick={() => window.print()}>
        Afdrukken voor het claimdossier
      </button>
    </div>
  );
}

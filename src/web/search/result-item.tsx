import type { Result, ResultPolicy } from "../api/types.ts";
import { formatDate, MATCH_KIND_LABELS, STATUS_LABELS } from "../ui/labels.ts";
import { confidenceWords } from "./confidence.ts";
import { highlightSegments, matchedFields } from "./highlight.ts";

/** Text with the matched parts marked; the kind of match is read out after it. */
function Marked(props: { text: string; needles: Array<string | undefined>; kind?: string | undefined }) {
  if (!props.kind) return <>{props.text}</>;
  return (
    <>
      {highlightSegments(props.text, props.needles).map((s, i) =>
        s.mark ? <mark key={i}>{s.text}</mark> : s.text,
      )}
      <span class="visually-hidden"> ({MATCH_KIND_LABELS[props.kind] ?? props.kind})</span>
    </>
  );
}

/** A policy at a glance: partner, product, status, and whether it was given by phone. */
export function PolicyChip({ policy }: { policy: ResultPolicy }) {
  const status = STATUS_LABELS[policy.status] ?? policy.status;
  return (
    <span class={`chip chip-${policy.status}`}>
      <span class="chip-partner">{policy.partnerName ?? policy.partner}</span> · {policy.product} ·{" "}
      <span class="chip-status">{status}</span>
      {policy.givenByPhone ? (
        <span class="chip-phone"> · telefonisch door {policy.givenByPhone.by}</span>
      ) : null}
    </span>
  );
}

/** One result in the list: name, confidence in words, birth date, address, every policy. */
export function ResultItem({ result, restricted }: { result: Result; restricted: boolean }) {
  const c = result.customer;
  const m = matchedFields(result.matches);
  const nameKind = m.get("surname") ?? m.get("companyName") ?? m.get("firstNames") ?? m.get("initials");
  const a = c.address;
  const street = [a.street, a.houseNumber, a.houseNumberAddition].filter(Boolean).join(" ");
  const confidence = confidenceWords(result.confidence);
  return (
    <>
      <span class="result-head">
        <span class="result-name">
          <Marked
            text={c.displayName}
            needles={[
              c.tussenvoegsel && c.surname ? `${c.tussenvoegsel} ${c.surname}` : c.surname,
              c.companyName,
              m.has("initials") ? c.initials : undefined,
            ]}
            kind={nameKind}
          />
        </span>
        <span class={`confidence confidence-${confidence.level}`}>{confidence.label}</span>
      </span>
      <span class="result-facts">
        {c.firstNames ? (
          <span>
            <Marked text={c.firstNames} needles={[c.firstNames]} kind={m.get("firstNames")} />
          </span>
        ) : null}
        {c.birthDate ? (
          <span>
            geboren{" "}
            <Marked
              text={formatDate(c.birthDate)}
              needles={[formatDate(c.birthDate)]}
              kind={m.get("birthDate")}
            />
          </span>
        ) : null}
        {street ? (
          <span>
            <Marked
              text={street}
              needles={[
                m.has("street") ? a.street : undefined,
                m.has("houseNumber") ? String(a.houseNumber ?? "") : undefined,
              ]}
              kind={m.get("street") ?? m.get("houseNumber")}
            />
          </span>
        ) : null}
        {a.postcode || a.city ? (
          <span>
            {a.postcode ? <Marked text={a.postcode} needles={[a.postcode]} kind={m.get("postcode")} /> : null}
            {a.postcode && a.city ? " " : null}
            {a.city ? <Marked text={a.city} needles={[a.city]} kind={m.get("city")} /> : null}
            {a.country !== "NL" ? ` (${a.country})` : null}
          </span>
        ) : null}
        {m.has("phone") ? (
          <span>
            <mark>telefoonnummer</mark> komt overeen
          </span>
        ) : null}
        {m.has("policyNumber") ? (
          <span>
            <mark>polisnummer</mark> komt overeen
          </span>
        ) : null}
      </span>
      {restricted ? null : (
        <span class="result-policies">
          {result.policies.length === 0 ? (
            <span class="muted">geen polissen</span>
          ) : (
            result.policies.map((p) => <PolicyChip key={`${p.partner}/${p.policyNumber}`} policy={p} />)
          )}
        </span>
      )}
    </>
  );
}

import { useEffect, useState } from "preact/hooks";
import { parseDutchDate } from "../../domain/normalise/date.ts";
import { ApiError, api } from "../api/client.ts";
import type { PartnerListItem, PhonePolicyBody, PhonePolicyCreated, Product } from "../api/types.ts";
import { partnersSeen } from "../search/search-state.ts";

type Holder = PhonePolicyBody["policyholder"];
type HolderKey = Exclude<keyof Holder, "kind">;

const HOLDER_FIELDS: Array<[HolderKey, string, "P" | "Z" | "both", string?]> = [
  ["initials", "Voorletters", "P"],
  ["firstNames", "Voornamen", "P"],
  ["tussenvoegsel", "Tussenvoegsel", "P"],
  ["surname", "Achternaam", "P"],
  ["companyName", "Bedrijfsnaam", "Z"],
  ["birthDate", "Geboortedatum", "P", "dd-mm-jjjj"],
  ["street", "Straat", "both"],
  ["houseNumber", "Huisnummer", "both"],
  ["houseNumberAddition", "Toevoeging", "both"],
  ["postcode", "Postcode", "both", "1234 AB"],
  ["city", "Woonplaats", "both"],
  ["phone", "Telefoonnummer", "both"],
  ["email", "E-mailadres", "both"],
];

/**
 * `Polis telefonisch doorgeven`: a partner passes on one policy by phone after a claim came in; the
 * agent records it as a delivery on channel `phone`, validated like any other.
 */
export function PhonePolicyForm() {
  const [partners, setPartners] = useState<PartnerListItem[]>([]);
  const [products, setProducts] = useState<Product[]>([]);
  const [partner, setPartner] = useState("");
  const [policyNumber, setPolicyNumber] = useState("");
  const [product, setProduct] = useState("");
  const [modules, setModules] = useState<string[]>([]);
  const [startDate, setStartDate] = useState("");
  const [kind, setKind] = useState<"P" | "Z">("P");
  const [holder, setHolder] = useState<Record<HolderKey, string>>(
    Object.fromEntries(HOLDER_FIELDS.map(([k]) => [k, ""])) as Record<HolderKey, string>,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<PhonePolicyCreated | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<Product[]>("GET", "/v1/products")
      .then(setProducts)
      .catch(() => setProducts([]));
    // The partner registry lists registered partners; until it is there, the partners seen in answers.
    api<PartnerListItem[] | { partners: PartnerListItem[] }>("GET", "/v1/partners")
      .then((list) => setPartners(Array.isArray(list) ? list : list.partners))
      .catch(() => setPartners([]));
  }, []);

  const suggestions = partners.length > 0 ? partners : partnersSeen.value.map((id) => ({ id, name: id }));
  const chosen = products.find((p) => p.code === product);

  const submit = async (e: Event) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!partner.trim()) local.partner = "Vul de partner in.";
    if (!policyNumber.trim()) local.policyNumber = "Vul het polisnummer in.";
    if (!product) local.product = "Kies het product.";
    const start = parseDutchDate(startDate);
    if (!start) local.startDate = "Vul de ingangsdatum in, bijvoorbeeld 01-01-2024.";
    const birth = holder.birthDate.trim() ? parseDutchDate(holder.birthDate) : null;
    if (holder.birthDate.trim() && !birth) local["policyholder.birthDate"] = "Vul een geldige datum in.";
    if (kind === "P" && !holder.surname.trim()) local["policyholder.surname"] = "Vul de achternaam in.";
    if (kind === "Z" && !holder.companyName.trim())
      local["policyholder.companyName"] = "Vul de bedrijfsnaam in.";
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) {
      document.getElementById(fieldId(Object.keys(local)[0]!))?.focus();
      return;
    }
    const policyholder: Holder = { kind };
    for (const [k, , forKind] of HOLDER_FIELDS) {
      if (forKind !== "both" && forKind !== kind) continue;
      const v = holder[k].trim();
      if (v) policyholder[k] = k === "birthDate" ? birth! : v;
    }
    const body: PhonePolicyBody = {
      partner: partner.trim(),
      policyNumber: policyNumber.trim(),
      product,
      modules,
      startDate: start!,
      policyholder,
    };
    setBusy(true);
    try {
      setCreated(await api<PhonePolicyCreated>("POST", "/v1/phone-policies", body));
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length > 0) {
        const server: Record<string, string> = {};
        for (const fe of err.fieldErrors) server[fe.path.replace(/^body\./, "")] ??= fe.message;
        setErrors(server);
      }
      setFormError(
        err instanceof ApiError
          ? `Niet opgeslagen: ${err.message}`
          : "Niet opgeslagen: de dienst is niet bereikbaar.",
      );
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setCreated(null);
    setPolicyNumber("");
    setModules([]);
    setHolder(Object.fromEntries(HOLDER_FIELDS.map(([k]) => [k, ""])) as Record<HolderKey, string>);
  };

  const field = (
    name: string,
    label: string,
    value: string,
    set: (v: string) => void,
    placeholder?: string,
  ) => (
    <div class="field" key={name}>
      <label for={fieldId(name)}>{label}</label>
      <input
        id={fieldId(name)}
        type="text"
        autocomplete="off"
        value={value}
        placeholder={placeholder}
        onInput={(e) => set(e.currentTarget.value)}
        {...(name === "partner" ? { list: "partner-list" } : {})}
        {...(errors[name] ? { "aria-invalid": true, "aria-describedby": `${fieldId(name)}-error` } : {})}
      />
      {errors[name] ? (
        <p id={`${fieldId(name)}-error`} class="field-error">
          {errors[name]}
        </p>
      ) : null}
    </div>
  );

  if (created)
    return (
      <section aria-labelledby="phone-done">
        <h1 id="phone-done">Polis telefonisch doorgegeven</h1>
        <p aria-live="polite">
          Polis {created.policyNumber} is opgeslagen als telefonische levering en is nu vindbaar.
        </p>
        <p>
          <a href={`#/klant/${encodeURIComponent(created.customerId)}`}>Klantkaart openen</a>
        </p>
        <button type="button" class="secondary" onClick={again}>
          Nog een polis doorgeven
        </button>
      </section>
    );

  return (
    <form aria-labelledby="phone-title" class="phone-form" onSubmit={submit} noValidate>
      <h1 id="phone-title">Polis telefonisch doorgeven</h1>
      <p class="hint">
        Een partner geeft na een schademelding één polis telefonisch door. Deze wordt vastgelegd als levering
        via de telefoon, op uw naam, en gecontroleerd als elke levering.
      </p>
      <fieldset>
        <legend>Polis</legend>
        <div class="field-grid">
          {field("partner", "Partner", partner, setPartner)}
          <datalist id="partner-list">
            {suggestions.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </datalist>
          {field("policyNumber", "Polisnummer", policyNumber, setPolicyNumber)}
          <div class="field">
            <label for={fieldId("product")}>Product</label>
            <select
              id={fieldId("product")}
              value={product}
              onChange={(e) => {
                setProduct(e.currentTarget.value);
                setModules([]);
              }}
              {...(errors.product ? { "aria-invalid": true, "aria-describedby": "pp-product-error" } : {})}
            >
              <option value="">Kies een product…</option>
              {products.map((p) => (
                <option key={p.code} value={p.code}>
                  {p.name} ({p.code})
                </option>
              ))}
            </select>
            {errors.product ? (
              <p id="pp-product-error" class="field-error">
                {errors.product}
              </p>
            ) : null}
          </div>
          {field("startDate", "Ingangsdatum", startDate, setStartDate, "dd-mm-jjjj")}
        </div>
        {chosen ? (
          <fieldset class="checks">
            <legend>Dekkingen</legend>
            {chosen.modules.map((m) => (
              <label key={m.code}>
                <input
                  type="checkbox"
                  checked={modules.includes(m.code)}
                  onChange={(e) =>
                    setModules(
                      e.currentTarget.checked ? [...modules, m.code] : modules.filter((x) => x !== m.code),
                    )
                  }
                />{" "}
                {m.name} ({m.code})
              </label>
            ))}
          </fieldset>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Verzekeringnemer</legend>
        <div class="radios">
          <label>
            <input type="radio" name="kind" checked={kind === "P"} onChange={() => setKind("P")} /> Persoon
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === "Z"} onChange={() => setKind("Z")} /> Bedrijf
          </label>
        </div>
        <div class="field-grid">
          {HOLDER_FIELDS.filter(([, , k]) => k === "both" || k === kind).map(([k, label, , placeholder]) =>
            field(
              `policyholder.${k}`,
              label,
              holder[k],
              (v) => setHolder({ ...holder, [k]: v }),
              placeholder,
            ),
          )}
        </div>
      </fieldset>
      {formError ? (
        <p class="error" role="alert">
          {formError}
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={busy}>
        Polis vastleggen
      </button>
    </form>
  );
}

function fieldId(path: string): string {
  return `pp-${path.replace(/[^A-Za-z0-9]/g, "-")}`;
}

import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api } from "../api/client.ts";
import type { AppConfig } from "../api/types.ts";
import { callerPhone } from "../router.ts";
import { ROLE_LABELS } from "../ui/labels.ts";
import { startSignIn } from "./oidc.ts";
import { session, sessionFromToken, signOutReason } from "./session.ts";

/** Sign-in: in dev mode a role and a name; with an OpenID provider, off to its sign-in page. */
export function SignIn({ config }: { config: AppConfig }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main id="main" class="signin">
      <h1 ref={heading} tabIndex={-1}>
        Klantherkenning
      </h1>
      <p class="lead">Het werkscherm van het juridisch servicecentrum.</p>
      {signOutReason.value ? <p class="notice">{signOutReason.value}</p> : null}
      {config.authMode === "dev" ? <DevSignIn /> : <OidcSignIn config={config} />}
    </main>
  );
}

function DevSignIn() {
  const [role, setRole] = useState("agent");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setError("Vul uw naam in.");
      document.getElementById("si-name")?.focus();
      return;
    }
    try {
      const { token } = await api<{ token: string }>(
        "POST",
        "/app/dev-token",
        { role, name: name.trim() },
        { auth: false },
      );
      signOutReason.value = null;
      session.value = sessionFromToken(token, name.trim());
    } catch (err) {
      setError(err instanceof ApiError ? `Inloggen lukte niet: ${err.message}` : "Inloggen lukte niet.");
    }
  };
  return (
    <form class="panel signin-form" aria-labelledby="si-title" onSubmit={submit} noValidate>
      <h2 id="si-title">Inloggen (ontwikkelomgeving)</h2>
      <p class="hint">Alleen in de ontwikkelomgeving: kies een rol en een naam.</p>
      <div class="field">
        <label for="si-role">Rol</label>
        <select id="si-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          {Object.entries(ROLE_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="si-name">Naam</label>
        <input
          id="si-name"
          type="text"
          autocomplete="name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          {...(error ? { "aria-invalid": true, "aria-describedby": "si-error" } : {})}
        />
      </div>
      {error ? (
        <p id="si-error" class="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" class="primary">
        Inloggen
      </button>
    </form>
  );
}

function OidcSignIn({ config }: { config: AppConfig }) {
  const [error, setError] = useState<string | null>(null);
  const oidc = config.oidc;
  if (!oidc)
    return <p class="error">Inloggen is niet ingericht: de beheerder moet OIDC_CLIENT_ID instellen.</p>;
  const go = () =>
    startSignIn(oidc, location.hash || "#/", callerPhone.value ?? undefined).catch(() =>
      setError("De identiteitsprovider is niet bereikbaar. Probeer het zo nog eens."),
    );
  return (
    <div class="panel signin-form">
      <p>U logt in met uw organisatieaccount.</p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" class="primary" onClick={go}>
        Inloggen met organisatieaccount
      </button>
    </div>
  );
}

import { render } from "preact";
import { api } from "./api/client.ts";
import type { AppConfig } from "./api/types.ts";
import { App } from "./app.tsx";
import { finishSignIn, isCallback } from "./auth/oidc.ts";
import { session, signOutReason } from "./auth/session.ts";
import { callerPhone, syncFromLocation } from "./router.ts";
import "./styles.css";

/** Starts the application: reads the route (a caller's number leaves the URL), finishes an OIDC return, renders. */
async function start(): Promise<void> {
  const root = document.getElementById("app")!;
  syncFromLocation();
  window.addEventListener("hashchange", syncFromLocation);
  let config: AppConfig;
  try {
    config = await api<AppConfig>("GET", "/app/config", undefined, { auth: false });
  } catch {
    root.textContent = "De dienst is niet bereikbaar. Probeer het zo nog eens.";
    return;
  }
  if (config.oidc && isCallback()) {
    try {
      const done = await finishSignIn(config.oidc);
      session.value = done.session;
      if (done.phone) callerPhone.value = done.phone;
      if (done.returnTo && done.returnTo !== location.hash) location.hash = done.returnTo;
      syncFromLocation();
    } catch {
      signOutReason.value = "Inloggen is niet gelukt. Probeer het opnieuw.";
    }
  }
  render(<App config={config} />, root);
}

void start();

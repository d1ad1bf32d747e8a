import { useEffect } from "preact/hooks";
import { AdminScreen } from "./admin/admin-screen.tsx";
import type { AppConfig } from "./api/types.ts";
import { signOutAtProvider } from "./auth/oidc.ts";
import { isAdmin, isAgent, session, signOutReason } from "./auth/session.ts";
import { SignIn } from "./auth/sign-in.tsx";
import { CallerScreen } from "./caller/caller-screen.tsx";
import { CustomerCard } from "./customer/customer-card.tsx";
import { PhonePolicyForm } from "./phone/phone-policy-form.tsx";
import { endWithoutCustomer, reset } from "./promise/journey.ts";
import { navigate, route } from "./router.ts";
import { SearchScreen } from "./search/search-screen.tsx";
import { clearSearch } from "./search/search-state.ts";

/** The signed-in application: header with navigation and sign-out, and the current screen. */
export function App({ config }: { config: AppConfig }) {
  const s = session.value;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
      if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        const box = document.getElementById("q");
        if (box) box.focus();
        else {
          navigate({ screen: "search" });
          requestAnimationFrame(() => document.getElementById("q")?.focus());
        }
      }
    };
    document.addEventListener("keydown", onKey);
    // A search left open when the page goes away ends without a customer.
    const onHide = () => endWithoutCustomer();
    window.addEventListener("pagehide", onHide);
    return () => {
      document.removeEventListener("keydown", onKey);
      window.removeEventListener("pagehide", onHide);
    };
  }, []);

  if (!s) return <SignIn config={config} />;

  const signOut = () => {
    const idToken = s.idToken;
    endWithoutCustomer();
    reset();
    clearSearch();
    session.value = null;
    signOutReason.value = "U bent uitgelogd.";
    if (config.authMode === "jwks" && config.oidc) void signOutAtProvider(config.oidc, idToken);
  };

  const r = route.value;
  const screen =
    !isAgent.value && r.screen !== "admin" ? (
      isAdmin.value ? (
        <AdminScreen />
      ) : (
        <p>Uw rol geeft geen toegang tot dit scherm.</p>
      )
    ) : r.screen === "customer" ? (
      <CustomerCard customerId={r.customerId} />
    ) : r.screen === "caller" ? (
      <CallerScreen />
    ) : r.screen === "phone-policy" ? (
      <PhonePolicyForm />
    ) : r.screen === "admin" ? (
      isAdmin.value ? (
        <AdminScreen />
      ) : (
        <p>Alleen voor beheerders.</p>
      )
    ) : (
      <SearchScreen />
    );

  return (
    <>
      <button type="button" class="skip" onClick={() => document.getElementById("main")?.focus()}>
        Naar de inhoud
      </button>
      <header class="topbar">
        <span class="brand">Klantherkenning</span>
        <nav aria-label="Hoofdmenu">
          <ul>
            {isAgent.value ? (
              <>
                <li>
                  <a href="#/" aria-current={r.screen === "search" ? "page" : undefined}>
                    Klant zoeken
                  </a>
                </li>
                <li>
                  <a href="#/polis-doorgeven" aria-current={r.screen === "phone-policy" ? "page" : undefined}>
                    Polis doorgeven
                  </a>
                </li>
              </>
            ) : null}
            {isAdmin.value ? (
              <li>
                <a href="#/beheer" aria-current={r.screen === "admin" ? "page" : undefined}>
                  Beheer
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
        <span class="user">
          {s.name} <span class="muted">({s.roles.join(", ") || "geen rol"})</span>
        </span>
        <button type="button" class="secondary" onClick={signOut}>
          Uitloggen
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {screen}
      </main>
    </>
  );
}

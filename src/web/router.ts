import { signal } from "@preact/signals";

/** The application's screens; the hash holds no personal data except a caller's number on arrival. */
export type Route =
  | { screen: "search" }
  | { screen: "customer"; customerId: string }
  | { screen: "caller" }
  | { screen: "phone-policy" }
  | { screen: "admin" };

/** The number a telephony system opened `/#/beller/{phone}` with; kept in memory, taken out of the URL. */
export const callerPhone = signal<string | null>(null);

/** Parses a location hash into a route; a caller's number is moved out of the URL into memory. */
export function parseHash(hash: string): { route: Route; phone?: string } {
  const path = hash.replace(/^#/, "") || "/";
  const caller = /^\/beller\/(.+)$/.exec(path);
  if (caller) return { route: { screen: "caller" }, phone: safeDecode(caller[1]!) };
  if (path === "/beller") return { route: { screen: "caller" } };
  const customer = /^\/klant\/([A-Za-z0-9._:-]{1,128})$/.exec(path);
  if (customer) return { route: { screen: "customer", customerId: customer[1]! } };
  if (path === "/polis-doorgeven") return { route: { screen: "phone-policy" } };
  if (path === "/beheer") return { route: { screen: "admin" } };
  return { route: { screen: "search" } };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The hash of a route (never with personal data). */
export function hashOf(route: Route): string {
  switch (route.screen) {
    case "customer":
      return `#/klant/${encodeURIComponent(route.customerId)}`;
    case "caller":
      return "#/beller";
    case "phone-policy":
      return "#/polis-doorgeven";
    case "admin":
      return "#/beheer";
    default:
      return "#/";
  }
}

/** The current route. */
export const route = signal<Route>({ screen: "search" });

/** Reads the location: a caller's number goes into memory and the URL keeps `#/beller` only. */
export function syncFromLocation(): void {
  const { route: r, phone } = parseHash(location.hash);
  if (phone !== undefined) {
    callerPhone.value = phone;
    history.replaceState(null, "", `${location.pathname}${hashOf(r)}`);
  }
  route.value = r;
}

/** Opens a screen (a history entry of its own, so Back works). */
export function navigate(r: Route): void {
  const hash = hashOf(r);
  if (location.hash !== hash) location.hash = hash;
  else route.value = r;
}

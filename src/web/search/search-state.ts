import { batch, signal } from "@preact/signals";
import { ApiError, api, isAbort } from "../api/client.ts";
import type { SearchAnswer, SearchBody } from "../api/types.ts";

/** The structured fields beside the free-text box. */
export interface Fields {
  birthDate: string;
  postcode: string;
  houseNumber: string;
  phone: string;
  policyNumber: string;
}

const EMPTY: Fields = { birthDate: "", postcode: "", houseNumber: "", phone: "", policyNumber: "" };

/** What the search screen shows; kept while the agent looks at a card, so Back returns to it. */
export const query = signal("");
export const fields = signal<Fields>({ ...EMPTY });
export const answer = signal<SearchAnswer | null>(null);
/** The text and fields the shown answer belongs to (the benchmark waits for this to match the box). */
export const answeredFor = signal<string | null>(null);
export const searching = signal(false);
export const searchError = signal<string | null>(null);
export const active = signal(-1);
/** Partners seen in answers (the phone form's suggestions until the partner registry lists them). */
export const partnersSeen = signal<ReadonlyArray<string>>([]);

/**
 * Wait after the last keystroke before asking: keys typed closer together (a paste, a burst) make one
 * request. Agents type 80–200 ms apart, so at 30 ms each key still asks; at 50 ms the wait was most of the
 * keystroke-to-results time (bench app-typing, 200,000 customers, p50 77 ms on the shared 2-core machine).
 */
export const DEBOUNCE_MS = 30;
/** Free text shorter than this asks nothing (it cannot identify anyone). */
const MIN_QUERY = 2;

/** The request body for the box and fields; null when there is too little to search on. */
export function searchBody(q: string, f: Fields): SearchBody | null {
  const body: SearchBody = { limit: 10 };
  const text = q.trim();
  if (text.length >= MIN_QUERY) body.q = text;
  for (const key of Object.keys(f) as Array<keyof Fields>) {
    const v = f[key].trim();
    if (v) body[key] = v;
  }
  return Object.keys(body).length > 1 ? body : null;
}

let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: AbortController | undefined;

/** Asks again after a pause; the request before it, if still running, is cancelled. */
export function scheduleSearch(): void {
  clearTimeout(timer);
  timer = setTimeout(runSearch, DEBOUNCE_MS);
}

/** Clears the box, the fields and the answer. */
export function clearSearch(): void {
  clearTimeout(timer);
  inFlight?.abort();
  batch(() => {
    query.value = "";
    fields.value = { ...EMPTY };
    answer.value = null;
    answeredFor.value = null;
    searchError.value = null;
    searching.value = false;
    active.value = -1;
  });
}

/** The key the shown answer is for: the box and the fields as sent. */
export const answerKey = (q: string, f: Fields) => JSON.stringify(searchBody(q, f));

async function runSearch(): Promise<void> {
  const q = query.value;
  const f = fields.value;
  const body = searchBody(q, f);
  inFlight?.abort();
  if (!body) {
    batch(() => {
      answer.value = null;
      answeredFor.value = answerKey(q, f);
      searching.value = false;
      active.value = -1;
    });
    return;
  }
  const controller = new AbortController();
  inFlight = controller;
  searching.value = true;
  try {
    const result = await api<SearchAnswer>("POST", "/v1/search", body, { signal: controller.signal });
    if (controller.signal.aborted) return;
    batch(() => {
      answer.value = result;
      answeredFor.value = answerKey(q, f);
      searchError.value = null;
      searching.value = false;
      active.value = -1;
      const seen = new Set(partnersSeen.value);
      for (const r of result.results) for (const p of r.policies) seen.add(p.partner);
      if (seen.size !== partnersSeen.value.length) partnersSeen.value = [...seen].sort();
    });
  } catch (err) {
    if (isAbort(err)) return;
    batch(() => {
      searching.value = false;
      searchError.value =
        err instanceof ApiError && err.status === 429
          ? "Te veel zoekvragen achter elkaar; wacht even."
          : err instanceof ApiError
            ? `Zoeken lukte niet: ${err.message}`
            : "Zoeken lukte niet: de dienst is niet bereikbaar.";
    });
  }
}

/**
 * Partner names beside partner ids in answers (`partnerName` after `partner`), so screens show
 * "Volmacht A" rather than `VOLMACHT-A`. An id the registry does not name gets no `partnerName`.
 */

// In compact JSON an unescaped quote after `{` or `,` opens a key: inside a string every quote is
// escaped, so this matches a policy's `partner` key and never a value that merely contains the text.
const PARTNER_KEY = /([{,])"partner":"([A-Za-z0-9_-]{1,64})"/g;

/**
 * Adds `partnerName` to every `"partner":"ID"` of a search answer that is already JSON (the search
 * worker serialises answers so the HTTP thread need not parse and re-stringify them; one pass of a
 * regular expression over the text keeps it that way).
 */
export function withPartnerNamesJson(json: string, names: ReadonlyMap<string, string>): string {
  if (names.size === 0) return json;
  return json.replace(PARTNER_KEY, (whole, lead: string, id: string) => {
    const name = names.get(id);
    return name === undefined ? whole : `${lead}"partner":"${id}","partnerName":${JSON.stringify(name)}`;
  });
}

/** The same for objects: each item with a `partner` gets its `partnerName` beside it. */
export function withPartnerNames<T extends { partner: string }>(
  items: readonly T[],
  names: ReadonlyMap<string, string>,
): Array<T & { partnerName?: string }> {
  return items.map((item) => {
    const name = names.get(item.partner);
    return name === undefined ? item : { ...item, partnerName: name };
  });
}

/** A search answer (serialised or not) with partner names beside the ids of its policies. */
export function namedSearchAnswer<R extends { policies: Array<{ partner: string }> }>(
  answer: { json: string } | { results: R[] },
  names: ReadonlyMap<string, string>,
): { json: string } | { results: R[] } {
  if ("json" in answer) return { ...answer, json: withPartnerNamesJson(answer.json, names) };
  return {
    ...answer,
    results: answer.results.map((r) => ({ ...r, policies: withPartnerNames(r.policies, names) })),
  };
}

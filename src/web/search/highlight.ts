/** A piece of displayed text, marked when it is a part the search matched. */
export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * Splits `text` into segments, marking every case-insensitive occurrence of the needles (the values of
 * the fields the answer's `matches` name). Overlapping needles merge into one marked part.
 */
export function highlightSegments(text: string, needles: ReadonlyArray<string | undefined>): Segment[] {
  const lower = text.toLocaleLowerCase("nl");
  const marked = new Array<boolean>(text.length).fill(false);
  for (const needle of needles) {
    const n = needle?.trim().toLocaleLowerCase("nl");
    if (!n) continue;
    for (let at = lower.indexOf(n); at >= 0; at = lower.indexOf(n, at + n.length)) {
      for (let i = at; i < at + n.length; i++) marked[i] = true;
    }
  }
  const out: Segment[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = out[out.length - 1];
    if (last && last.mark === marked[i]) last.text += text[i];
    else out.push({ text: text[i]!, mark: marked[i]! });
  }
  return out;
}

/** The answer's matches as field → kind (the first kind named for a field wins: the strongest). */
export function matchedFields(matches: ReadonlyArray<{ field: string; kind: string }>): Map<string, string> {
  const byField = new Map<string, string>();
  for (const m of matches) if (!byField.has(m.field)) byField.set(m.field, m.kind);
  return byField;
}

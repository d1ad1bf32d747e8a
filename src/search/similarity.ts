const ROW_CAPACITY = 64;
const SHARED_ROWS = [
  new Int32Array(ROW_CAPACITY),
  new Int32Array(ROW_CAPACITY),
  new Int32Array(ROW_CAPACITY),
];

/**
 * Optimal-string-alignment (restricted Damerau–Levenshtein) distance between two strings, where a
 * transposition of two adjacent letters counts as one edit. Stops early and answers `max + 1` as soon
 * as the distance must exceed `max`, so comparing against a long string stays cheap.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const n = b.length;
  // Names are short: reuse three module-level rows instead of allocating per call.
  const rows =
    n < ROW_CAPACITY ? SHARED_ROWS : [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** How many typing errors we forgive in a word of this length: none below 4 letters, 1 up to 7, else 2. */
export function typoBudget(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/** Is `typed` within the typo budget of `target` (by the shorter of the two lengths)? */
export function isTypo(typed: string, target: string): boolean {
  const budget = typoBudget(Math.min(typed.length, target.length));
  return budget > 0 && editDistance(typed, target, budget) <= budget;
}

import { type Accumulator, SCORE_MAX } from "./embedded-accumulator.ts";

type Compare = (a: number, b: number) => number;

/**
 * The `size` best documents the current query touched, by score, ties by `byCustomerId` (as the
 * Elasticsearch adapter sorts), without sorting everything: a histogram finds the cut-off score, a
 * bounded heap picks among its ties.
 */
export function topBy(accumulator: Accumulator, size: number, byCustomerId: Compare): number[] {
  const { touched, touchedCount: n, acc } = accumulator;
  const score = new Uint16Array(n);
  let max = 0;
  // Every touched document carries this query's stamp.
  for (let i = 0; i < n; i++) {
    const sc = acc[touched[i]!]! & SCORE_MAX;
    score[i] = sc;
    if (sc > max) max = sc;
  }
  type Pick = { id: number; score: number };
  const byRank = (a: Pick, b: Pick) => b.score - a.score || byCustomerId(a.id, b.id);
  const picked: Pick[] = [];
  if (n <= size) {
    for (let i = 0; i < n; i++) picked.push({ id: touched[i]!, score: score[i]! });
    return picked.sort(byRank).map((p) => p.id);
  }
  const counts = new Uint32Array(max + 1);
  for (let i = 0; i < n; i++) counts[score[i]!]!++;
  let above = 0;
  let cut = max;
  while (cut > 1 && above + counts[cut]! < size) above += counts[cut--]!;
  const ties: number[] = [];
  for (let i = 0; i < n; i++) {
    const sc = score[i]!;
    if (sc > cut) picked.push({ id: touched[i]!, score: sc });
    else if (sc === cut) ties.push(touched[i]!);
  }
  for (const t of smallest(ties, size - picked.length, byCustomerId)) picked.push({ id: t, score: cut });
  return picked.sort(byRank).map((p) => p.id);
}

/** The `k` ids with the smallest customerIds, via a max-heap of size k (O(n log k)), in no order. */
export function smallest(ids: readonly number[], k: number, byCustomerId: Compare): number[] {
  if (ids.length <= k) return [...ids];
  const heap: number[] = [];
  const above = (i: number, j: number) => byCustomerId(heap[i]!, heap[j]!) > 0;
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j]!, heap[i]!];
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && above(l, top)) top = l;
      if (r < heap.length && above(r, top)) top = r;
      if (top === i) return;
      swap(i, top);
      i = top;
    }
  };
  for (const id of ids) {
    if (heap.length < k) {
      heap.push(id);
      for (let i = heap.length - 1; i > 0 && above(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (k > 0 && byCustomerId(id, heap[0]!) < 0) {
      heap[0] = id;
      down(0);
    }
  }
  return heap;
}

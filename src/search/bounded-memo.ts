/** Most distinct texts one memo keeps before it starts over (names repeat; this bounds the heap). */
const MEMO_LIMIT = 50_000;

/** `fn` remembered per distinct text, for pure functions of text called with the same values again and again. */
export function boundedMemo<T>(fn: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let value = known.get(text);
    if (value === undefined) {
      if (known.size >= MEMO_LIMIT) known.clear();
      value = fn(text);
      known.set(text, value);
    }
    return value;
  };
}

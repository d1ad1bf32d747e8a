/** How many times the event loop came round while `work` ran, and what it answered. */
export async function turnsDuring<T>(work: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let busy = true;
  const tick = () => {
    if (!busy) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const value = await work.finally(() => {
    busy = false;
  });
  return { value, turns };
}

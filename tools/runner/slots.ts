// A fixed number of slots working through a list: notebooks (or seeds) run N at a time.

/**
 * Calls `work(item, index)` for every item with at most `slots` calls in flight, starting them in
 * list order as slots free up, and returns the results in list order. With slots = 1 the calls run
 * one after another. A call that throws stops new starts; the first error is rethrown once the
 * calls in flight have settled.
 * @throws RangeError when slots is not an integer ≥ 1
 */
export async function runInSlots<T, R>(
  items: readonly T[],
  slots: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`slots must be an integer ≥ 1, got ${slots}`);
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const loop = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await work(items[i], i);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(slots, items.length) }, loop));
  if (failed) throw failed.error;
  return results;
}

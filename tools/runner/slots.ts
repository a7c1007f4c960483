// A fixed number of slots working through a list: notebooks (or seeds) run N at a time.

/**
 * Calls `work(item, index)` for every item with at most `slots` calls in flight, starting them as
 * slots free up, and returns the results in list order (`index` is the item's place in the list).
 * With slots = 1 the calls run one after another. A call that throws stops new starts; the first
 * error is rethrown once the calls in flight have settled.
 * @param startOrder the order in which items start, as a permutation of 0…items.length − 1
 *   (default: list order); see `longestFirst` in ./schedule
 * @throws RangeError when slots is not an integer ≥ 1, or startOrder is not such a permutation
 */
export async function runInSlots<T, R>(
  items: readonly T[],
  slots: number,
  work: (item: T, index: number) => Promise<R>,
  startOrder?: readonly number[],
): Promise<R[]> {
  if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`slots must be an integer ≥ 1, got ${slots}`);
  const order = startOrder ?? items.map((_, i) => i);
  if (
    order.length !== items.length ||
    new Set(order).size !== items.length ||
    !order.every((i) => Number.isInteger(i) && i >= 0 && i < items.length)
  )
    throw new RangeError(`startOrder must be a permutation of 0…${items.length - 1}, got [${order.join(", ")}]`);
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const loop = async () => {
    while (next < items.length && !failed) {
      const i = order[next++];
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
